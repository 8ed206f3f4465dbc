/* sse_module in Studio: edit the module's own settings; the server validates the whole form at once. */
function SSEModuleStudioView(runtime, element, init) {
    'use strict';
    var A = window.SSEAcademy;
    init = A.initArgs(element, init);
    var texts = (init && init.texts) || {};
    var form = element.querySelector('.sse-module-form');
    var formError = element.querySelector('.sse-module-form-error');

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
        element.querySelectorAll('.sse-module-field').forEach(function (field) {
            field.querySelector('.sse-module-field-error').textContent = '';
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
            var field = element.querySelector('.sse-module-field[data-field="' + error.field + '"]');
            if (!field) {
                formError.textContent += ' ' + error.message;
                return;
            }
            var slot = field.querySelector('.sse-module-field-error');
            slot.textContent = (slot.textContent ? slot.textContent + ' ' : '') + error.message;
            var input = field.querySelector('input, select, textarea');
            input.setAttribute('aria-invalid', 'true');
            first = first || input;
        });
        if (first) {
            first.focus();
        }
    }

    element.querySelector('.sse-module-save').addEventListener('click', function (event) {
        event.preventDefault();
        clearErrors();
        element.querySelector('.sse-module-form-status').textContent = '';
        var payload = {
            display_name: value('display_name'),
            dimension: value('dimension'),
            estimated_time: value('estimated_time'),
            objectives: value('objectives').split('\n'),
            intro: value('intro')
        };
        notify('save', {state: 'start', message: texts.saving});
        A.postJSON(runtime.handlerUrl(element, 'studio_submit'), payload).then(function (reply) {
            if (reply.ok) {
                notify('save', {state: 'end'});
                A.announce(element.querySelector('.sse-module-form-status'), texts.saved);
                return;
            }
            var message = (reply.data && reply.data.error) || texts.failed;
            showErrors(message, reply.data && reply.data.errors);
            notify('error', {title: texts.error_title, message: message});
        });
    });

    element.querySelector('.sse-module-cancel').addEventListener('click', function (event) {
        event.preventDefault();
        notify('cancel', {});
    });
}
