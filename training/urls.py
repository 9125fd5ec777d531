"""Training pages; included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern, path

from training import views

urlpatterns: list[URLPattern] = [
    # HQ writes courses and reads the results
    path("hq/training/", views.hq_courses, name="hq_training_courses"),
    path("hq/training/new/", views.hq_course_edit, name="hq_training_course_new"),
    path("hq/training/<int:pk>/", views.hq_course, name="hq_training_course"),
    path("hq/training/<int:pk>/edit/", views.hq_course_edit, name="hq_training_course_edit"),
    path("hq/training/<int:pk>/publish/", views.hq_course_publish, name="hq_training_course_publish"),
    path("hq/training/<int:pk>/archive/", views.hq_course_archive, name="hq_training_course_archive"),
    path("hq/training/<int:pk>/results/", views.hq_course_results, name="hq_training_results"),
    path("hq/training/<int:course_pk>/lessons/new/", views.hq_lesson_edit, name="hq_training_lesson_new"),
    path("hq/training/lessons/<int:pk>/edit/", views.hq_lesson_edit, name="hq_training_lesson_edit"),
    path("hq/training/lessons/<int:pk>/delete/", views.hq_lesson_delete, name="hq_training_lesson_delete"),
    path("hq/training/lessons/<int:pk>/move/", views.hq_lesson_move, name="hq_training_lesson_move"),
    path("hq/training/<int:course_pk>/questions/new/", views.hq_question_edit, name="hq_training_question_new"),
    path("hq/training/questions/<int:pk>/edit/", views.hq_question_edit, name="hq_training_question_edit"),
    path("hq/training/questions/<int:pk>/delete/", views.hq_question_delete, name="hq_training_question_delete"),
    # a partner's people take them (HQ may open a course, a lesson and a certificate too)
    path("training/", views.courses, name="training_courses"),
    path("training/courses/<int:pk>/", views.course, name="training_course"),
    path("training/courses/<int:pk>/quiz/", views.quiz_start, name="training_quiz_start"),
    path("training/lessons/<int:pk>/", views.lesson, name="training_lesson"),
    path("training/lessons/<int:pk>/image/", views.lesson_image, name="training_lesson_image"),
    path("training/lessons/<int:pk>/pdf/", views.lesson_pdf, name="training_lesson_pdf"),
    path("training/attempts/<int:pk>/", views.attempt, name="training_attempt"),
    path("training/attempts/<int:pk>/result/", views.result, name="training_result"),
    path("training/certificates/", views.certificates, name="training_certificates"),
    path("training/certificates/<int:pk>/", views.certificate, name="training_certificate"),
]
