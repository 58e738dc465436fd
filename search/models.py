"""Search documents and ranking signals (DOMAIN §7).

Every listing buyers may find has one ``SearchDocument``: a weighted ``tsvector`` (title A,
category names B, attributes C, description D; Chinese segmented by jieba in search mode before
PostgreSQL sees it), the columns filters and sorts need, and the ranking signals copied from the
shop, its credit and its orders (credit grade, good rate, DSR, 30-day sales, violation points,
near-duplicate flag) folded into one ``quality`` figure, and the words of the quality tiers it
belongs to (``QualityTier``). A listing that must not be found (not active, its shop suspended,
closed or under a search penalty) has no document at all.

Documents are derived and always recomputable. Changes reach them through dirty marks:
PostgreSQL triggers on listings, SKUs, shops, categories and seller credit insert the changed
listing or shop into ``DirtyListing`` / ``DirtyShop`` in the same transaction as the change, and a
Celery task drains the marks in batches (``search.services.indexing``). Nothing in the request
path recomputes a signal. ``SearchWord`` is the vocabulary of titles (typo correction and
autocomplete) and ``PopularQuery`` counts what buyers search for.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now

from shops.models import Category, Listing, Shop


class SearchDocument(models.Model):
    listing = models.OneToOneField(
        Listing, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category_path = models.CharField(max_length=255)  # the category's tree path: subtree filter
    province = models.CharField(max_length=60)
    city = models.CharField(max_length=60)
    shipping_method = models.CharField(max_length=10)
    price_min = models.DecimalField(max_digits=12, decimal_places=2)
    price_max = models.DecimalField(max_digits=12, decimal_places=2)
    in_stock = models.BooleanField()
    published_at = models.DateTimeField()
    document = SearchVectorField()
    # The title without variant words (colours, sizes): listings of one shop with the same key
    # and alike covers (``ListingImage.fingerprint``) are near-duplicates; only the best of them
    # ranks high.
    title_key = models.CharField(max_length=200)
    cover_fingerprint = models.CharField(max_length=16, blank=True, default="")
    title_words = models.TextField()  # the title's words, for the vocabulary's counts

    # Ranking signals, refreshed by the dirty drain and the periodic refresh.
    seller_level = models.PositiveSmallIntegerField(default=0)
    seller_score = models.IntegerField(default=0)
    good_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    dsr = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    sales_30d = models.IntegerField(default=0)
    violation_points = models.PositiveSmallIntegerField(default=0)
    is_duplicate = models.BooleanField(default=False)
    quality = models.FloatField(default=0.0)
    # How many quality tiers the document belongs to: its ``document`` carries the words of
    # tiers 1 to ``quality_tier`` (``QualityTier``).
    quality_tier = models.PositiveSmallIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["document"], name="search_doc_document_gin"),
            models.Index(fields=["-quality"], name="search_doc_quality"),
            models.Index(fields=["-sales_30d", "-quality"], name="search_doc_sales"),
            models.Index(fields=["-seller_score", "-quality"], name="search_doc_credit"),
            models.Index(fields=["price_min"], name="search_doc_price_min"),
            models.Index(fields=["-price_max"], name="search_doc_price_max"),
            models.Index(fields=["-published_at"], name="search_doc_newest"),
            models.Index(
                fields=["category_path"],
                opclasses=["varchar_pattern_ops"],
                name="search_doc_category",
            ),
            models.Index(fields=["province", "city"], name="search_doc_place"),
            models.Index(fields=["shop", "title_key"], name="search_doc_shop_title"),
        ]

    def __str__(self) -> str:
        return f"search document of listing {self.listing_id}"


class QualityTier(models.Model):
    """The documents of quality ``threshold`` or more, the best ``share`` of all documents when
    the thresholds were last set, carry the word ``quality_tier_<level>`` in their ``document``
    (levels are cumulative: a document of tier 3 carries the words of 1, 2 and 3). A query on a
    frequent word asks the GIN index for its matches within the smallest tier that holds enough
    of them, instead of reading every match to find the best by quality."""

    level = models.PositiveSmallIntegerField(primary_key=True)
    threshold = models.FloatField()
    share = models.FloatField()

    def __str__(self) -> str:
        return f"quality tier {self.level}: quality ≥ {self.threshold:.4f}, {self.share:.1%}"


class SearchWord(models.Model):
    """A word of the listing titles, with how many documents have it in their title."""

    word = models.CharField(max_length=60, primary_key=True)
    document_count = models.IntegerField(default=0)
    is_latin = models.BooleanField(default=False)

    class Meta:
        indexes = [
            GinIndex(
                fields=["word"],
                opclasses=["gin_trgm_ops"],
                name="search_word_trigram",
                condition=models.Q(is_latin=True),
            ),
            models.Index(
                fields=["word"], opclasses=["varchar_pattern_ops"], name="search_word_prefix"
            ),
        ]

    def __str__(self) -> str:
        return self.word


class PopularQuery(models.Model):
    """What buyers search for (normalised), for autocomplete."""

    text = models.CharField(max_length=100, primary_key=True)
    count = models.IntegerField(default=0)
    last_searched_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["text"], opclasses=["varchar_pattern_ops"], name="search_query_prefix"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DirtyListing(models.Model):
    """A listing whose document must be rebuilt (inserted by the triggers)."""

    listing_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"listing {self.listing_id}"


class DirtyShop(models.Model):
    """A shop whose listings' documents must be rebuilt (inserted by the triggers)."""

    shop_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"shop {self.shop_id}"
