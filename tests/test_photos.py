"""Photos: responsive derivatives that match their markup, upright, in sRGB, without
camera or location data, processed once per change, and bad files caught."""

import re
from html.parser import HTMLParser

import pytest
from PIL import Image, ImageCms

from bantin.build import BuildFailed
from tests.support.sites import Site

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE, MODEL = 0x010F, 0x0110


def photo_entry(file, **more):
    return {"file": file, "caption": "Quang cảnh hội nghị", "alt": "Hội trường đông người", **more}


def camera_jpeg(path, size=(2000, 1500), orientation=None, gps=True, icc=None):
    """A JPEG as a phone writes it: camera make, GPS position, maybe rotated."""
    image = Image.new("RGB", size)
    # Left half red, right half blue, so orientation can be checked on the output.
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "PhoneMaker", "Model X"
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 1.0, 41.0), 3: "E", 4: (105.0, 50.0, 28.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif.tobytes(), icc_profile=icc)
    return path


class Pictures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "source":
            self.sources.append(dict(attrs))


def pictures(html):
    parser = Pictures()
    parser.feed(html)
    return parser


def srcset_entries(srcset):
    return [(url, int(width[:-1])) for url, width in (item.split() for item in srcset.split(", "))]


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


def photos_log(caplog):
    messages = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Photos: ")]
    return tuple(
        int(n) for n in re.match(r"Photos: (\d+) processed, (\d+) reused", messages[-1]).groups()
    )


def test_every_width_and_format_in_the_markup_exists_with_those_dimensions(site):
    camera_jpeg(site.content / "anh/2021/hop/a.jpg", size=(2000, 1500))
    site.article("hop", photos=[photo_entry("2021/hop/a.jpg")])
    site.build()
    page = pictures(site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/"))
    image = next(img for img in page.images if img["class"] == "bt-figure__image")
    assert image["alt"] == "Hội trường đông người"
    assert "loading" not in image  # the first photo loads at once
    types = {source["type"] for source in page.sources}
    assert {"image/webp", "image/avif"} <= types
    for srcset in [image["srcset"], *(source["srcset"] for source in page.sources)]:
        entries = srcset_entries(srcset)
        assert [width for _, width in entries] == [480, 960, 1600]
        for url, width in entries:
            with Image.open(site.output / url.lstrip("/")) as file:
                assert file.size == (width, round(1500 * width / 2000))
    with Image.open(site.output / image["src"].lstrip("/")) as fallback:
        assert fallback.format == "JPEG"
        assert fallback.size == (int(image["width"]), int(image["height"]))


def test_photos_are_never_enlarged(site):
    camera_jpeg(site.content / "anh/nho.jpg", size=(700, 400))
    site.article("nho", photos=[photo_entry("nho.jpg")])
    site.build()
    image = next(
        i
        for i in pictures(site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")).images
        if i["class"] == "bt-figure__image"
    )
    assert [width for _, width in srcset_entries(image["srcset"])] == [480, 700]


def test_published_files_carry_no_gps_or_camera_data_only_the_credit(site):
    camera_jpeg(site.content / "anh/gps.jpg")
    site.article("gps", photos=[photo_entry("gps.jpg", credit="Hoàng Anh")])
    site.build()
    published = [p for p in (site.output / "anh").iterdir() if p.is_file()]
    assert (
        len(published) == 13
    )  # 3 widths × (AVIF, WebP, JPEG) + 4 crops (social card, 16:9, 4:3, 1:1)
    for path in published:
        data = path.read_bytes()
        assert b"PhoneMaker" not in data and b"Model X" not in data
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert "<rdf:li>Hoàng Anh</rdf:li>" in image.info["xmp"].decode("utf-8"), path.name
    assert not (site.output / "anh/gps.jpg").exists()  # the source itself is never published


def test_exif_orientation_is_applied(site):
    # Orientation 6: the camera was turned; the stored 2000×1000 image shows upright as 1000×2000.
    camera_jpeg(site.content / "anh/xoay.jpg", size=(2000, 1000), orientation=6)
    site.article("xoay", photos=[photo_entry("xoay.jpg")])
    site.build()
    image = next(
        i
        for i in pictures(site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")).images
        if i["class"] == "bt-figure__image"
    )
    with Image.open(site.output / image["src"].lstrip("/")) as upright:
        assert upright.width < upright.height
        assert ORIENTATION not in upright.getexif()
        top, bottom = (
            upright.getpixel((upright.width // 2, 5)),
            upright.getpixel((upright.width // 2, upright.height - 5)),
        )
        assert top[0] > top[2] and bottom[2] > bottom[0]  # rotated clockwise: red above blue


def test_colour_is_converted_to_srgb(site):
    wide_gamut = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    camera_jpeg(site.content / "anh/lab.jpg", icc=wide_gamut)
    site.article("mau", photos=[photo_entry("lab.jpg")])
    site.build()
    image = next(
        i
        for i in pictures(site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")).images
        if i["class"] == "bt-figure__image"
    )
    with Image.open(site.output / image["src"].lstrip("/")) as converted:
        assert converted.mode == "RGB" and "icc_profile" not in converted.info


def test_only_the_first_photo_loads_eagerly_and_a_gallery_holds_the_rest(site):
    for name in ("a", "b", "c"):
        camera_jpeg(site.content / f"anh/{name}.jpg", size=(800, 600))
    site.article("ba-anh", photos=[photo_entry(f"{name}.jpg") for name in ("a", "b", "c")])
    site.build()
    html = site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")
    images = [i for i in pictures(html).images if i["class"] == "bt-figure__image"]
    assert [i.get("loading") for i in images] == [None, "lazy", "lazy"]
    gallery = html[html.index('class="bt-gallery"') :]
    assert gallery.count("<figure") == 2


def test_first_photo_is_the_social_card_and_the_list_thumbnail(site):
    camera_jpeg(site.content / "anh/the.jpg", size=(1600, 1600))
    site.article("the", photos=[photo_entry("the.jpg")])
    site.build()
    card = re.search(
        r'<meta property="og:image" content="http://127.0.0.1:8000/([^"]+)">',
        site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/"),
    ).group(1)
    with Image.open(site.output / card) as image:
        assert image.size == (1200, 630)
    thumbnail = next(i for i in pictures(site.page("/")).images if i["class"] == "bt-card__image")
    assert thumbnail["loading"] == "lazy" and thumbnail["alt"] == ""
    assert srcset_entries(thumbnail["srcset"])[0][1] == 480


def test_a_second_build_processes_no_image(site, caplog):
    for name, height in (("a", 600), ("b", 500)):
        camera_jpeg(site.content / f"anh/{name}.jpg", size=(900, height))
    site.article("hai-anh", photos=[photo_entry("a.jpg"), photo_entry("b.jpg")])
    site.build()
    assert photos_log(caplog) == (2, 0)
    site.build(force=True)  # a real build, though nothing changed
    assert photos_log(caplog) == (0, 2)


def test_a_changed_photo_is_processed_again_and_only_it(site, caplog):
    for name, height in (("a", 600), ("b", 500)):
        camera_jpeg(site.content / f"anh/{name}.jpg", size=(900, height))
    site.article("hai-anh", photos=[photo_entry("a.jpg"), photo_entry("b.jpg")])
    site.build()
    camera_jpeg(site.content / "anh/b.jpg", size=(900, 450))
    site.build()
    assert photos_log(caplog) == (1, 1)
    image = [
        i
        for i in pictures(site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")).images
        if i["class"] == "bt-figure__image"
    ][1]
    assert (image["width"], image["height"]) == ("480", "240")  # the new 900×450 photo


def build_error(site):
    with pytest.raises(BuildFailed) as failure:
        site.build()
    return str(failure.value)


def test_a_file_that_is_not_an_image_names_the_article_and_the_photo(site):
    (site.content / "anh").mkdir(exist_ok=True)
    (site.content / "anh/van-ban.jpg").write_text("đây không phải ảnh", encoding="utf-8")
    site.article("khong-phai-anh", photos=[photo_entry("van-ban.jpg")])
    message = build_error(site)
    assert (
        "khong-phai-anh.md: photos[0].file: 'van-ban.jpg' is not an image Pillow can read"
        in message
    )


def test_a_truncated_image_is_reported(site):
    path = camera_jpeg(site.content / "anh/cut.jpg")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    site.article("cut", photos=[photo_entry("cut.jpg")])
    assert "cut.md: photos[0].file: 'cut.jpg' is damaged or truncated" in build_error(site)


def test_an_image_over_the_pixel_limit_is_refused(site):
    camera_jpeg(site.content / "anh/lon.jpg", size=(3000, 2000))
    site.article("lon", photos=[photo_entry("lon.jpg")])
    with pytest.raises(BuildFailed) as failure:
        site.build(PHOTO_MAX_PIXELS=5_000_000)
    assert (
        "lon.md: photos[0].file: 'lon.jpg' is 3000×2000 = 6,000,000 pixels, more than the limit of 5,000,000"
        in str(failure.value)
    )


def test_photo_problems_are_reported_with_the_other_problems_and_nothing_is_published(site):
    site.article("tot")
    site.build()
    before = sorted(p.relative_to(site.output) for p in site.output.rglob("*"))
    (site.content / "anh/hong.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    site.article("hong", photos=[photo_entry("hong.jpg")], title=None)
    message = build_error(site)
    assert "hong.md: photos[0].file: 'hong.jpg'" in message and "hong.md: title: missing" in message
    assert sorted(p.relative_to(site.output) for p in site.output.rglob("*")) == before
