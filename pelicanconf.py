"""Settings of the sample bulletin and the local preview. publishconf.py builds on them."""

SITENAME = "Bản tin"
SITESUBTITLE = "Tin hoạt động của cơ quan, đoàn thể"
PUBLISHER = (
    "Ban biên tập Bản tin"  # who publishes the site; new articles start with it as organisation
)
PUBLISHER_LOGO = "logo.png"  # in theme/static/, 600×60, for structured data
SITEURL = ""
DEFAULT_LANG = "vi"
LOCALE = ("C",)  # dates are formatted by Babel, not by the system locale
TIMEZONE = "Asia/Ho_Chi_Minh"

PATH = "content"
ARTICLE_PATHS = ["bai-viet"]
PAGE_PATHS = []
PHOTO_PATH = "anh"
STATIC_PATHS = []  # photos are published only as processed derivatives (plugins/photos)
THEME = "theme"

PLUGIN_PATHS = ["plugins"]
# Listed explicitly: with PLUGINS unset Pelican would load every installed namespace plugin.
PLUGINS = [
    "article_model",
    "drafts",
    "taxonomies",
    "people",
    "photos",
    "revisions",
    "feeds",
    "search",
    "sitemaps",
    "structured_data",
    "asset_hashing",
    "localization",
    "addresses",
    "build_progress",
    "pelican.plugins.neighbors",
    "output_reuse",
]
PEOPLE_REGISTRY = "nguoi-va-to-chuc.yaml"  # aliases and namesakes, in content/
RELATED_ARTICLES = 4

# The kinds of event an article can report; editors write the label (any tone-mark
# placement, any case) or the slug. The slug is the event kind's URL.
EVENT_KINDS = {
    "hoi-nghi": "Hội nghị",  # conference
    "hoi-thao": "Hội thảo",  # seminar
    "toa-dam": "Tọa đàm",  # round-table
    "sinh-hoat-chi-bo": "Sinh hoạt chi bộ",  # party-cell session
    "sinh-hoat-chuyen-de": "Sinh hoạt chuyên đề",  # thematic session
    "dai-hoi": "Đại hội",  # congress
    "doi-thoai": "Đối thoại",  # dialogue
}

MARKDOWN = {
    "extensions": ["markdown.extensions.extra", "markdown.extensions.sane_lists"],
    "output_format": "html",
}
# Each build makes its own environment: a template need not be checked for changes on
# disk at each use (2.5 s of stat calls in a full build at 10,000 articles).
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
}

# Readable, stable URLs: the date and an ASCII slug.
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_TRANSLATION_ID = None  # two articles with one slug are a clash to report, not translations
FILENAME_METADATA = r"(?!)"  # the date comes from the front matter only
SLUGIFY_SOURCE = "title"
CATEGORY_URL = "su-kien/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "su-kien/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
PERSON_URL = "nguoi/{slug}/"
PERSON_SAVE_AS = PERSON_URL + "index.html"
PEOPLE_URL = "nguoi/"
PEOPLE_SAVE_AS = PEOPLE_URL + "index.html"
ORGANIZATION_URL = "to-chuc/{slug}/"
ORGANIZATION_SAVE_AS = ORGANIZATION_URL + "index.html"
ORGANIZATIONS_URL = "to-chuc/"
ORGANIZATIONS_SAVE_AS = ORGANIZATIONS_URL + "index.html"
AUTHOR_URL = PERSON_URL  # a reporter's page is their person page (plugins/people)
AUTHOR_SAVE_AS = ""
AUTHORS_URL = "phong-vien/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
# The archive of each year and month, each page at its URL + "index.html". Made by
# plugins/taxonomies, in one pass over the articles: Pelican's own period archives go
# through every article for each period (1.9 s of every build at 10,000 articles), so
# its settings for them are left empty.
PERIOD_ARCHIVE_URLS = {"year": "{date:%Y}/", "month": "{date:%Y}/{date:%m}/"}
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
# The preview shows drafts and future articles at their final URL, marked as such
# (plugins/drafts); publishconf.py leaves them out of everything.
SHOW_DRAFTS = True
DRAFT_URL = ARTICLE_URL
DRAFT_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = PAGE_SAVE_AS = ""
INDEX_URL = ""  # the home page is /, not /index.html
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search", "404"]
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
# The first results of a search by one filter value alone (plugins/search/first_results.py)
SEARCH_FIRST_RESULTS_URL = SEARCH_URL + "loc/"
PAGINATED_TEMPLATES = {
    "index": None,
    "category": None,
    "tag": None,
    "person": None,
    "organization": None,
}
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
NEWEST_FIRST_ARCHIVES = True

# Feeds: plugins/feeds writes atom.xml and rss.xml beside each list page; Pelican's own
# feeds are off. The preview's feeds point at the preview server.
SITE_ADDRESS = "http://127.0.0.1:8000"  # absolute address for feeds, sitemaps, structured data
FEED_DOMAIN = SITE_ADDRESS
FEED_MAX_ITEMS = 50
FEED_CONTENT = "full"  # or "summary"
FEED_ID_AUTHORITY = "bantin.example.vn,2026"  # a domain you own, and a date you owned it
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = TAG_FEED_ATOM = TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = False  # bantin.build writes into a fresh staging folder
CACHE_CONTENT = False
READERS = {"rst": None, "html": None, "htm": None}  # articles are Markdown only
