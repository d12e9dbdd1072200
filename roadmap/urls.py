from django.urls import path

from . import views, views_import

app_name = "roadmap"

urlpatterns = [
    path("", views.RoadmapListView.as_view(), name="list"),
    path("new/", views.RoadmapCreateView.as_view(), name="create"),
    path("my/", views.MyItemsView.as_view(), name="my_items"),
    path("deadline/", views.DeadlineCheckView.as_view(), name="deadline_check"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="detail"),
    path("<int:pk>/timeline/", views.RoadmapTimelineView.as_view(), name="timeline"),
    path("<int:pk>/edit/", views.RoadmapEditView.as_view(), name="edit"),
    path("<int:pk>/copy/", views.RoadmapCopyView.as_view(), name="copy"),
    path("<int:pk>/approve/", views.RoadmapApproveView.as_view(), name="approve"),
    path("<int:pk>/draft/", views.RoadmapReturnToDraftView.as_view(), name="return_to_draft"),
    path("<int:pk>/archive/", views.RoadmapArchiveView.as_view(), name="archive"),
    path("<int:pk>/delete/", views.RoadmapDeleteView.as_view(), name="delete"),
    path("<int:pk>/sections/new/", views.SectionCreateView.as_view(), name="section_add"),
    path("sections/<int:pk>/edit/", views.SectionEditView.as_view(), name="section_edit"),
    path("sections/<int:pk>/delete/", views.SectionDeleteView.as_view(), name="section_delete"),
    path("<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item_add"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("occurrences/<int:pk>/done/", views.OccurrenceDoneView.as_view(), name="occurrence_done"),
    path("occurrences/<int:pk>/status/", views.OccurrenceStatusView.as_view(), name="occurrence_status"),
    path("occurrences/<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("import/", views_import.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path("import/<int:pk>/apply/", views_import.ImportApplyView.as_view(), name="import_apply"),
]
