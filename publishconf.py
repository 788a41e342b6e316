"""Settings for the public site: pelicanconf.py plus the public address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("BANTIN_SITEURL", "https://bantin.example.vn")
SITE_ADDRESS = FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# Drafts and articles dated in the future are previewed locally only: the public build
# writes none of them, in no page, feed, index, sitemap or archive.
SHOW_DRAFTS = False
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""

# Where `invoke publish` deploys the site (README: Publishing): "ssh" to a web server, or
# "s3" to an S3-compatible object store. Each DEPLOY_* setting can be set from the
# environment instead, as BANTIN_DEPLOY_TARGET, BANTIN_DEPLOY_HOST and so on.
DEPLOY_TARGET = "ssh"

# Over SSH, with rsync:
DEPLOY_HOST = ""  # the web server as [user@]host, e.g. "bantin@web1.example.vn"
DEPLOY_PATH = "/srv/bantin"  # holds releases/ and the `current` symlink (the document root)
DEPLOY_PORT = 22
DEPLOY_SSH_KEY = None  # a private key file; None uses ssh's own keys and agent
DEPLOY_KEEP = 5  # how many old releases to keep for rollback, besides the live one
DEPLOY_HOST_KEY_CHECKING = "yes"  # "accept-new" trusts an unknown server key once
DEPLOY_KNOWN_HOSTS = None  # a known_hosts file; None uses ~/.ssh/known_hosts

# To an S3-compatible object store (AWS S3, MinIO, Cloudflare R2…), with rclone. Its access
# key comes from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, never
# from this file.
DEPLOY_S3_ENDPOINT = ""  # e.g. "https://s3.ap-southeast-1.amazonaws.com"
DEPLOY_S3_BUCKET = ""  # an existing bucket that the public can read, e.g. "bantin-example-vn"
DEPLOY_S3_PREFIX = ""  # the site's folder in the bucket, e.g. "bantin"; "" is the whole bucket
DEPLOY_S3_REGION = ""  # the bucket's region (AWS needs it), "auto" for R2; "" is us-east-1
