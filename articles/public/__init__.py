"""The public reading pages: one HTML page per published article, and the sitemap that lists them."""
