from django.urls import path

from announcements.urls import urlpatterns as announcement_urls
from campaigns.urls import urlpatterns as campaign_urls
from catalog import views as catalog_views
from notices.urls import urlpatterns as notice_urls
from orders import views as order_views
from partners import views as partner_views
from prm.portals import views
from purchasing import views as purchasing_views
from rewards.urls import urlpatterns as rewards_urls
from training.urls import urlpatterns as training_urls

app_name = "portals"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    # HQ
    path("hq/", views.hq_home, name="hq_home"),
    path("hq/partners/", partner_views.hq_partners, name="hq_partners"),
    path("hq/partners/new/", partner_views.hq_partner_new, name="hq_partner_new"),
    path("hq/partners/export/", partner_views.hq_partners_export, name="hq_partners_export"),
    path("hq/partners/<int:pk>/", partner_views.hq_partner_detail, name="hq_partner"),
    path("hq/partners/<int:pk>/edit/", partner_views.hq_partner_edit, name="hq_partner_edit"),
    path("hq/product-lines/", partner_views.hq_product_lines, name="hq_product_lines"),
    path("hq/supply-links/<int:pk>/review/", partner_views.hq_supply_link_review, name="hq_supply_link_review"),
    path("hq/uploads/", partner_views.hq_uploads, name="hq_uploads"),
    path("hq/uploads/<int:pk>/", partner_views.hq_upload, name="hq_upload"),
    path("hq/uploads/<int:pk>/report.csv", partner_views.hq_upload_report, name="hq_upload_report"),
    path("hq/uploads/<int:pk>/rejected.xlsx", partner_views.hq_upload_rejected, name="hq_upload_rejected"),
    path("hq/uploads/<int:pk>/retry/", partner_views.hq_upload_retry, name="hq_upload_retry"),
    path("hq/orders/", order_views.hq_orders, name="hq_orders"),
    path("hq/orders/new/", order_views.hq_order_new, name="hq_order_new"),
    path("hq/orders/<int:pk>/", order_views.hq_order_detail, name="hq_order"),
    path("hq/orders/<int:pk>/route-again/", order_views.hq_order_route_again, name="hq_order_route_again"),
    path("hq/orders/<int:pk>/reassign/", order_views.hq_order_reassign, name="hq_order_reassign"),
    path("hq/orders/<int:pk>/rate/", order_views.hq_order_rate, name="hq_order_rate"),
    path("hq/partners/<int:pk>/reroute-offers/", order_views.hq_dealer_reroute, name="hq_dealer_reroute"),
    path("hq/routing/", order_views.hq_routing, name="hq_routing"),
    path("hq/deals/", order_views.hq_deals, name="hq_deals"),
    path("hq/funnel/", order_views.hq_funnel, name="hq_funnel"),
    path("hq/fairness/", order_views.hq_fairness, name="hq_fairness"),
    path("hq/deals/<int:pk>/review/", order_views.hq_deal_review, name="hq_deal_review"),
    path("distributor/deals/", order_views.distributor_deals, name="distributor_deals"),
    path("dealer/deals/", order_views.dealer_deals, name="dealer_deals"),
    # Distributor
    path("distributor/", views.distributor_home, name="distributor_home"),
    path("distributor/dealers/", partner_views.distributor_dealers, name="distributor_dealers"),
    path("distributor/dealers/<int:pk>/", partner_views.distributor_dealer_detail, name="distributor_dealer"),
    path("distributor/dealers/export/", partner_views.distributor_dealers_export, name="distributor_dealers_export"),
    path("distributor/uploads/", partner_views.distributor_uploads, name="distributor_uploads"),
    path("distributor/uploads/<int:pk>/", partner_views.distributor_upload, name="distributor_upload"),
    path("distributor/uploads/<int:pk>/report.csv", partner_views.distributor_upload_report,
         name="distributor_upload_report"),
    path("distributor/uploads/<int:pk>/rejected.xlsx", partner_views.distributor_upload_rejected,
         name="distributor_upload_rejected"),
    path("distributor/uploads/<int:pk>/columns/", partner_views.distributor_upload_columns,
         name="distributor_upload_columns"),
    path("distributor/uploads/<int:pk>/cancel/", partner_views.distributor_upload_cancel,
         name="distributor_upload_cancel"),
    path("distributor/uploads/<int:pk>/retry/", partner_views.distributor_upload_retry,
         name="distributor_upload_retry"),
    # Dealer
    # partner ordering: buyers (dealers, distributors) and suppliers (distributors, HQ)
    path("catalogue/", catalog_views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", catalog_views.product_detail, name="product"),
    path("catalogue/<int:pk>/image/", catalog_views.product_image, name="product_image"),
    path("catalogue/documents/<int:pk>/", catalog_views.product_document, name="product_document"),
    path("claims/photos/<int:pk>/", purchasing_views.claim_photo, name="claim_photo"),
    path("hq/catalogue/upload/", catalog_views.hq_catalogue_upload, name="hq_catalogue_upload"),
    path("hq/catalogue/new/", catalog_views.hq_product_edit, name="hq_product_new"),
    path("hq/catalogue/<int:pk>/edit/", catalog_views.hq_product_edit, name="hq_product_edit"),
    path("hq/price-lists/", catalog_views.hq_price_lists, name="hq_price_lists"),
    path("cart/", purchasing_views.cart, name="cart"),
    path("purchases/", purchasing_views.purchases, name="purchases"),
    path("purchases/<int:pk>/", purchasing_views.order_detail, name="purchase"),
    path("sales/", purchasing_views.sales, name="sales"),
    path("sales/<int:pk>/", purchasing_views.order_detail, name="sale"),
    path("account/", purchasing_views.account, name="account"),
    path("accounts/<int:pk>/", purchasing_views.buyer_account, name="buyer_account"),
    path("accounts/", purchasing_views.buyer_accounts, name="buyer_accounts"),
    path("stock/", purchasing_views.stock, name="stock"),

    path("dealer/", views.dealer_home, name="dealer_home"),
    path("dealer/orders/", order_views.dealer_orders, name="dealer_orders"),
    path("dealer/offers/<int:pk>/", order_views.dealer_offer, name="dealer_offer"),
    path("dealer/offers/<int:pk>/accept/", order_views.dealer_offer_accept, name="dealer_offer_accept"),
    path("dealer/offers/<int:pk>/decline/", order_views.dealer_offer_decline, name="dealer_offer_decline"),
    path("dealer/offers/<int:pk>/progress/", order_views.dealer_offer_progress, name="dealer_offer_progress"),
    path("dealer/profile/", partner_views.dealer_profile, name="dealer_profile"),
]

urlpatterns += training_urls + rewards_urls + announcement_urls + campaign_urls + notice_urls
