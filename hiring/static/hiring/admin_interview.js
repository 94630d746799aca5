'use strict';
// The interview's add form offers the focus competencies of the chosen application's
// role only. Every competency is on the page, each with its profile (data-profile); the
// application picker knows the profile of the one chosen (data-profile when the page is
// drawn, then the autocomplete's answer).
{
    const $ = django.jQuery;

    function offer(focus, profile) {
        for (const box of focus.querySelectorAll('input[data-profile]')) {
            const ours = profile !== '' && box.dataset.profile === String(profile);
            box.closest('div').hidden = !ours;
            if (!ours) {
                box.checked = false;
            }
        }
    }

    $(function() {
        const focus = document.getElementById('id_focus_competencies');
        const application = document.getElementById('id_application');
        if (!focus || !application || application.dataset.profile === undefined) {
            return;  // the application is fixed: the page offers only its competencies
        }
        offer(focus, application.dataset.profile);
        $(application).on('select2:select', function(event) {
            offer(focus, event.params.data.profile);
        });
        $(application).on('select2:clear', function() {
            offer(focus, '');
        });
    });
}
