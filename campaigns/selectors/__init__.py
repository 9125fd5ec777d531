"""Reads: campaigns (``campaigns.selectors.campaigns``) and marketing funds (``campaigns.selectors.funds``)."""
