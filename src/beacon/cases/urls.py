from django.urls import path

from beacon.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.intake, name="intake"),
    path("team/", views.team, name="team"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<str:public_id>/", views.referral, name="referral"),
    path("referrals/<str:public_id>/messages/", views.referral_message, name="referral_message"),
    path("referrals/<str:public_id>/<str:action>/", views.referral_action, name="referral_action"),
    path("tasks/<str:task_id>/done/", views.task_done, name="task_done"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/edit/", views.edit, name="edit"),
    path("<str:public_id>/owner/", views.reassign, name="reassign"),
    path("<str:public_id>/person/", views.edit_person, name="edit_person"),
    path("<str:public_id>/notes/", views.add_note, name="add_note"),
    path("<str:public_id>/attachments/", views.add_attachment, name="add_attachment"),
    path("<str:public_id>/attachments/<str:attachment_id>/", views.attachment, name="attachment"),
    path("<str:public_id>/consents/", views.add_consent, name="add_consent"),
    path("<str:public_id>/consents/<str:consent_id>/revoke/", views.revoke_consent, name="revoke_consent"),
    path("<str:public_id>/needs/", views.add_need, name="add_need"),
    path("<str:public_id>/goals/", views.add_goal, name="add_goal"),
    path("<str:public_id>/plan/", views.add_plan_item, name="add_plan_item"),
    path("<str:public_id>/plan/<int:item_id>/", views.plan_item_status, name="plan_item_status"),
    path("<str:public_id>/relief/", views.add_relief, name="add_relief"),
    path("<str:public_id>/relief/<int:relief_id>/milestones/", views.add_milestone, name="add_milestone"),
    path("<str:public_id>/tasks/", views.add_task, name="add_task"),
    path("<str:public_id>/events/", views.add_event, name="add_event"),
    path("<str:public_id>/perpetrators/", views.add_perpetrator, name="add_perpetrator"),
    path("<str:public_id>/refer/", views.new_referral, name="new_referral"),
]
