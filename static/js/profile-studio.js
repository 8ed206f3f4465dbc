/* sse_profile in Studio: its name and scope; the server validates the whole form at once. */
function SSEProfileStudioView(runtime, element, init) {
    'use strict';
    var A = window.SSEAcademy;
    init = A.initArgs(element, init);
    var root = A.domElement(element);  // the DOM; handler addresses are asked for with ``element`` as given
    var texts = (init && init.texts) || {};
    var E = window.SSEAcademyEditor;
    var form = root.querySelector('.sse-profile-form');
    var errorsBox = root.querySelector('[data-role="errors"]');

    /* Studio's runtime has notify(); the workbench's does not. */
    function notify(name, data) {
        if (runtime && typeof runtime.notify === 'function') {
            runtime.notify(name, data);
        }
    }

    function value(name) {
        return form.elements[name].value;
    }

    /* The shared editor behaviour (sse-editor.js): a summary at the top linking to each field, the
       fields marked and described, the focus on the first. */
    function showErrors(heading, errors) {
        E.show(form, errorsBox, heading, errors, function (field) {
            return form.elements[field] || null;
        });
    }

    root.querySelector('.sse-profile-save').addEventListener('click', function (event) {
        event.preventDefault();
        E.clear(form, errorsBox);
        root.querySelector('.sse-profile-form-status').textContent = '';
        var payload = {
            display_name: value('display_name'),
            scope: value('scope')
        };
        notify('save', {state: 'start', message: texts.saving});
        A.postJSON(runtime.handlerUrl(element, 'studio_submit'), payload).then(function (reply) {
            if (reply.ok) {
                notify('save', {state: 'end'});
                A.announce(root.querySelector('.sse-profile-form-status'), texts.saved);
                return;
            }
            var message = (reply.data && reply.data.error) || texts.failed;
            var errors = (reply.data && reply.data.errors) || [];
            showErrors(message, errors.length ? errors : [{message: message, field: ''}]);
            notify('error', {title: texts.failed, message: message});
        });
    });

    root.querySelector('.sse-profile-cancel').addEventListener('click', function (event) {
        event.preventDefault();
        notify('cancel', {});
    });
}
