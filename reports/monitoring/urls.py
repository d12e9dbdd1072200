from django.urls import path

from reports.monitoring import views

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignCreateView.as_view(), name="campaign_new"),
    path("layout/", views.LayoutView.as_view(), name="campaign_layout"),
    path("targets/", views.TargetsView.as_view(), name="indicator_targets"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/remind/", views.CampaignRemindView.as_view(), name="campaign_remind"),
    path("<int:pk>/xlsx/", views.CampaignXlsxView.as_view(), name="campaign_xlsx"),
    path("<int:pk>/fill/", views.FillView.as_view(), name="campaign_fill"),
    path("responses/<int:pk>/", views.ResponseReviewView.as_view(), name="campaign_review"),
]
