"""Pages of the mentoring programme under /o/<org>/programme/."""

from django.urls import path

from . import views, views_meetings, views_plans, views_questionnaires, views_training, views_year

app_name = "mentorship"

urlpatterns: list = [
    # Programmes and stages, matching, pairs and groups, the best-practice bank.
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("<int:pk>/advance/", views.ProgrammeAdvanceView.as_view(), name="programme_advance"),
    path("<int:pk>/weights/", views.ProgrammeWeightsView.as_view(), name="matching_weights"),
    path("<int:pk>/matching/", views.MatchingView.as_view(), name="matching"),
    path("<int:pk>/matching/decision/", views.MatchDecisionView.as_view(), name="matching_decision"),
    path("<int:pk>/matching/accept/", views.MatchingAcceptView.as_view(), name="matching_accept"),
    path("<int:pk>/pairs/new/", views.PairCreateView.as_view(), name="pair_create"),
    path("pairs/", views.PairListView.as_view(), name="pair_list"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair_detail"),
    path("pairs/<int:pk>/edit/", views.PairEditView.as_view(), name="pair_edit"),
    path("pairs/<int:pk>/activate/", views.PairActivateView.as_view(), name="pair_activate"),
    path("pairs/<int:pk>/close/", views.PairCloseView.as_view(), name="pair_close"),
    path("pairs/<int:pk>/repair/", views.PairRepairView.as_view(), name="pair_repair"),
    path("pairs/<int:pk>/case/", views.PairCaseView.as_view(), name="pair_case"),
    path("pairs/<int:pk>/to-mentor-base/", views.PairToMentorBaseView.as_view(), name="pair_to_mentor_base"),
    path("cases/", views.CaseListView.as_view(), name="pair_cases"),
    # Questionnaires to a pair or to everyone in a programme's pairs (views_questionnaires.py).
    path(
        "pairs/<int:pk>/questionnaire/",
        views_questionnaires.PairQuestionnaireSendView.as_view(),
        name="pair_questionnaire_send",
    ),
    path(
        "<int:pk>/questionnaire/",
        views_questionnaires.ProgrammeQuestionnaireSendView.as_view(),
        name="programme_questionnaire_send",
    ),
    path("cases/photos/<int:pk>/", views.CasePhotoView.as_view(), name="pair_case_photo"),
    # Individual plans and meetings.
    path("plans/", views_plans.PlanListView.as_view(), name="plan_list"),
    path("pairs/<int:pair_pk>/plan/", views_plans.PlanEditView.as_view(), name="plan_edit"),
    path("pairs/<int:pair_pk>/meetings/", views_meetings.PairMeetingListView.as_view(), name="meeting_list"),
    path("pairs/<int:pair_pk>/meetings/add/", views_meetings.MeetingAddView.as_view(), name="meeting_add"),
    path("pairs/<int:pair_pk>/meetings/<int:pk>/edit/", views_meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("my/", views_meetings.MyPairsView.as_view(), name="my_pairs"),
    path("meetings/calendar/", views_meetings.CalendarView.as_view(), name="calendar"),
    path("meetings/attention/", views_meetings.AttentionView.as_view(), name="meeting_attention"),
    path("meetings/calendar.ics", views_meetings.MeetingsIcsView.as_view(), name="meetings_ics"),
    # «Новый учебный год»: promotion, the new lists diffed, applied, undone (views_year.py).
    path("year/", views_year.YearChangeView.as_view(), name="year_change"),
    path("year/upload/", views_year.YearChangeUploadView.as_view(), name="year_change_upload"),
    path("year/<int:pk>/decide/", views_year.YearChangeDecideView.as_view(), name="year_change_decide"),
    path("year/<int:pk>/undo/", views_year.YearChangeUndoView.as_view(), name="year_change_undo"),
    # «Школа наставника».
    path("training/", views_training.TrainingListView.as_view(), name="training_list"),
    path("training/add/", views_training.TrainingGroupFormView.as_view(), name="training_add"),
    path("training/<int:pk>/", views_training.TrainingGroupDetailView.as_view(), name="training_detail"),
    path(
        "training/<int:pk>/edit/",
        views_training.TrainingGroupFormView.as_view(editing=True),
        name="training_edit",
    ),
    path(
        "training/<int:pk>/sessions/add/",
        views_training.TrainingSessionFormView.as_view(),
        name="training_session_add",
    ),
    path(
        "training/<int:pk>/sessions/<int:session_pk>/",
        views_training.TrainingSessionFormView.as_view(),
        name="training_session_edit",
    ),
]
