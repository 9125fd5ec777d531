"""Pages: campaigns (``campaigns.views.campaigns``) and marketing funds (``campaigns.views.funds``)."""
