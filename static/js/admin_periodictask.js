// django-celery-beat's periodic task form in the admin: the crontab's help says what the chosen schedule means.
// The same behaviour as the inline script of its template (templates/admin/djcelery/change_periodictask_form.html).
(function ($) {
  "use strict";
  const script = document.getElementById("periodic-task-overrides");
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const originalCrontabHelp = script.dataset.crontabHelp;

  function updateCrontabHelp(additional) {
    $(".field-crontab .help").html(`${originalCrontabHelp}<br/>Translation: ${additional}`);
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    updateCrontabHelp(readableCrontabs[$("#id_crontab").val()]);
  });
})(django.jQuery);
