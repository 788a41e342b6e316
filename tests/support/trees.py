"""What a folder holds, file by file, for comparing built sites and releases."""

from pathlib import Path


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder and its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def inodes(folder: Path) -> dict[str, int]:
    """Every file under folder and its inode: the same inode is a file not written again."""
    return {
        str(path.relative_to(folder)): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file()
    }
