"""The dashboard's pages (one script per page, routed by dashboard.py) and the helpers they share."""
