"""Writes: campaigns (``campaigns.services.campaigns``) and marketing funds (``campaigns.services.funds``)."""
