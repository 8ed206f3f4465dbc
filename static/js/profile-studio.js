/* sse_profile in Studio: its name and scope; the server validates the whole form at once. */
function SSEProfileStudioView(runtime, element, init) {
    'use strict';
    var A = window.SSEAcademy;
    init = A.initArgs(element, init);
    var texts = (init && init.texts) || {};
    var form = element.querySelector('.sse-profile-form');
    var formError = element.querySelector('.sse-profile-form-error');

    /* Studio's runtime has notify(); the workbench's does not. */
    function notify(name, data) {
        if (runtime && typeof runtime.notify === 'function') {
            runtime.notify(name, data);
        }
    }

    function value(name) {
        return form.elements[name].value;
    }

    function clearErrors() {
        formError.hidden = true;
        formError.textContent = '';
        element.querySelectorAll('.sse-profile-field').forEach(function (field) {
            field.querySelector('.sse-profile-field-error').textContent = '';
            var input = field.querySelector('input, select, textarea');
            if (input) {
                input.removeAttribute('aria-invalid');
            }
        });
    }

    function showErrors(message, errors) {
        formError.textContent = message;
        formError.hidden = false;
        var first = null;
        (errors || []).forEach(function (error) {
            var field = element.querySelector('.sse-profile-field[data-field="' + error.field + '"]');
            if (!field) {
                formError.textContent += ' ' + error.message;
                return;
            }
            var slot = field.querySelector('.sse-profile-field-error');
            slot.textContent = (slot.textContent ? slot.textContent + ' ' : '') + error.message;
            var input = field.querySelector('input, select, textarea');
            input.setAttribute('aria-invalid', 'true');
            first = first || input;
        });
        if (first) {
            first.focus();
        }
    }

    element.querySelector('.sse-profile-save').addEventListener('click', function (event) {
        event.preventDefault();
        clearErrors();
        element.querySelector('.sse-profile-form-status').textContent = '';
        var payload = {
            display_name: value('display_name'),
            scope: value('scope')
        };
        notify('save', {state: 'start', message: texts.saving});
        A.postJSON(runtime.handlerUrl(element, 'studio_submit'), payload).then(function (reply) {
            if (reply.ok) {
                notify('save', {state: 'end'});
                A.announce(element.querySelector('.sse-profile-form-status'), texts.saved);
                return;
            }
            var message = (reply.data && reply.data.error) || texts.failed;
            showErrors(message, reply.data && reply.data.errors);
            notify('error', {title: texts.failed, message: message});
        });
    });

    element.querySelector('.sse-profile-cancel').addEventListener('click', function (event) {
        event.preventDefault();
        notify('cancel', {});
    });
}
