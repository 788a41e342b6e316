"""Settings for the public site: pelicanconf.py plus the public address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("BANTIN_SITEURL", "https://bantin.example.vn")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# Drafts are previewed locally only; the public build writes none of them.
DRAFT_SAVE_AS = ""
