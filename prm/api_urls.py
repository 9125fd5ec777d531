from django.urls import path

from orders.api import views as order_api
from partners.api import views as partner_api
from purchasing import api as purchasing_api

app_name = "api"

urlpatterns = [
    path("organizations/", partner_api.OrganizationListCreate.as_view(), name="organizations"),
    path("organizations/<int:pk>/", partner_api.OrganizationDetail.as_view(), name="organization"),
    path("dealer-uploads/", partner_api.UploadListCreate.as_view(), name="uploads"),
    path("dealer-uploads/<int:pk>/", partner_api.UploadDetail.as_view(), name="upload"),
    path("dealer-uploads/<int:pk>/confirm/", partner_api.UploadConfirm.as_view(), name="upload_confirm"),
    path("dealer-uploads/<int:pk>/cancel/", partner_api.UploadCancel.as_view(), name="upload_cancel"),
    path("dealer-uploads/<int:pk>/retry/", partner_api.UploadRetry.as_view(), name="upload_retry"),
    path("dealer-uploads/<int:pk>/rejected.xlsx", partner_api.UploadRejectedRows.as_view(), name="upload_rejected"),
    path("catalogue/", purchasing_api.CatalogueList.as_view(), name="catalogue"),
    path("purchase-orders/", purchasing_api.PurchaseOrderListCreate.as_view(), name="purchase_orders"),
    path("purchase-orders/<int:pk>/", purchasing_api.PurchaseOrderDetail.as_view(), name="purchase_order"),
    path("orders/", order_api.OrderListCreate.as_view(), name="orders"),
    path("orders/<int:pk>/", order_api.OrderDetail.as_view(), name="order"),
    path("orders/<int:pk>/accept/", order_api.OrderAccept.as_view(), name="order_accept"),
    path("orders/<int:pk>/decline/", order_api.OrderDecline.as_view(), name="order_decline"),
]
