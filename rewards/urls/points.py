"""Points pages (partners under points/, HQ under hq/points/); included into the "portals" namespace."""

from django.urls import URLPattern, path

from rewards.views import points as views

urlpatterns: list[URLPattern] = [
    # dealers and distributors
    path("points/", views.points_overview, name="points_overview"),
    path("points/history/", views.points_history, name="points_history"),
    path("points/redemptions/", views.points_redemptions, name="points_redemptions"),
    path("points/rewards/<int:pk>/redeem/", views.points_redeem, name="points_redeem"),
    path("points/redemptions/<int:pk>/cancel/", views.points_redemption_cancel, name="points_redemption_cancel"),
    # HQ
    path("hq/points/", views.hq_points_partners, name="hq_points_partners"),
    path("hq/points/partners/<int:pk>/", views.hq_points_partner, name="hq_points_partner"),
    path("hq/points/redemptions/", views.hq_points_redemptions, name="hq_points_redemptions"),
    path("hq/points/redemptions/<int:pk>/decide/", views.hq_points_redemption_decide,
         name="hq_points_redemption_decide"),
    path("hq/points/rules/", views.hq_points_rules, name="hq_points_rules"),
    path("hq/points/rewards/", views.hq_points_rewards, name="hq_points_rewards"),
    path("hq/points/rewards/new/", views.hq_points_reward_edit, name="hq_points_reward_new"),
    path("hq/points/rewards/<int:pk>/", views.hq_points_reward_edit, name="hq_points_reward_edit"),
]
