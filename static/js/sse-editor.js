/* What every SSE Academy editor does with a refused save: a summary at the top that links to each
   field, each field marked (aria-invalid) and described by its message, and the focus on the first.
   A field's mark goes as soon as the author changes it. Used by the quiz and case-study editors. */
(function (global) {
    'use strict';
    if (global.SSEAcademyEditor) {
        return;
    }
    var S = global.SSEAcademy;
    var counter = 0;

    function focusable(target) {
        if (!target) {
            return null;
        }
        if (target.matches('input, select, textarea, button')) {
            return target;
        }
        return target.querySelector('input, select, textarea') || target;
    }

    function unmark(target) {
        target.removeAttribute('aria-invalid');
        target.classList.remove('sse-invalid');
        var noteId = target.getAttribute('data-sse-error-note');
        if (noteId) {
            var note = document.getElementById(noteId);
            if (note) {
                note.parentNode.removeChild(note);
            }
            var described = (target.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
                return id && id !== noteId;
            });
            if (described.length) {
                target.setAttribute('aria-describedby', described.join(' '));
            } else {
                target.removeAttribute('aria-describedby');
            }
            target.removeAttribute('data-sse-error-note');
        }
    }

    /* ``target``: a control, or a fieldset standing for a group (a question, a criterion). */
    function mark(target, message) {
        var noteId = target.getAttribute('data-sse-error-note');
        var note = noteId && document.getElementById(noteId);
        if (note) {
            note.appendChild(document.createTextNode(' ' + message));
            return;
        }
        noteId = 'sse-field-error-' + (counter += 1);
        note = S.el('p', {className: 'sse-error sse-field-error', id: noteId}, message);
        if (target.tagName === 'FIELDSET') {
            var legend = target.querySelector('legend');
            target.insertBefore(note, legend ? legend.nextSibling : target.firstChild);
            target.classList.add('sse-invalid');
        } else {
            target.parentNode.insertBefore(note, target.nextSibling);
            target.setAttribute('aria-invalid', 'true');
        }
        target.setAttribute('data-sse-error-note', noteId);
        target.setAttribute('aria-describedby',
            ((target.getAttribute('aria-describedby') || '') + ' ' + noteId).trim());
        var clear = function () {
            unmark(target);
            target.removeEventListener('input', clear);
            target.removeEventListener('change', clear);
        };
        target.addEventListener('input', clear);
        target.addEventListener('change', clear);
    }

    function clear(form, box) {
        Array.prototype.forEach.call(form.querySelectorAll('[data-sse-error-note], [aria-invalid="true"]'), unmark);
        while (box.firstChild) {
            box.removeChild(box.firstChild);
        }
    }

    /* ``errors``: [{message, field}]; ``locate(field)`` returns the element of a field, or null.
       Returns the element that received the focus. */
    function show(form, box, heading, errors, locate) {
        clear(form, box);
        box.classList.remove('sse-warning-box');
        if (!errors.length) {
            return null;
        }
        box.appendChild(S.el('p', {className: 'sse-error', id: (box.id || 'sse-errors') + '-heading'}, heading));
        var list = S.el('ul');
        var first = null;
        errors.forEach(function (error) {
            var target = error.field ? locate(error.field) : null;
            var item = S.el('li');
            if (target) {
                mark(target, error.message);
                var control = focusable(target);
                if (!control.id) {
                    control.id = 'sse-field-' + (counter += 1);
                }
                var link = S.el('a', {href: '#' + control.id}, error.message);
                link.addEventListener('click', function (event) {
                    event.preventDefault();
                    control.focus();
                    control.scrollIntoView({block: 'center'});
                });
                item.appendChild(link);
                first = first || control;
            } else {
                item.textContent = error.message;
            }
            list.appendChild(item);
        });
        box.appendChild(list);
        var focus = first;
        if (!focus) {
            box.setAttribute('tabindex', '-1');
            focus = box;
        }
        focus.focus();
        return focus;
    }

    /* A list of messages that marks nothing (the warnings of a saved block). */
    function notes(form, box, heading, messages) {
        return show(form, box, heading, messages.map(function (m) { return {message: m}; }), function () { return null; });
    }

    /* Typed numbers the server would not guess ("1.895": 1895 or 1,895?). Under the errors, each doubt is
       asked with one button per reading, written in the author's language; ``choose(typed, value)`` sends
       the save again with that choice. Returns the first button, which takes the focus. */
    function askNumbers(box, doubts, label, choose) {
        var first = null;
        (doubts || []).forEach(function (doubt) {
            var id = 'sse-doubt-' + (counter += 1);
            var group = S.el('div', {className: 'sse-number-doubt', role: 'group', 'aria-labelledby': id});
            group.appendChild(S.el('p', {id: id}, doubt.message));
            var row = S.el('p', {className: 'sse-row'});
            doubt.readings.forEach(function (reading) {
                var button = S.el('button', {type: 'button', 'data-role': 'meant'},
                    label.replace('%(number)s', reading.text));
                button.addEventListener('click', function () { choose(doubt.typed, reading.value); });
                row.appendChild(button);
                first = first || button;
            });
            group.appendChild(row);
            box.appendChild(group);
        });
        if (first) {
            first.focus();
        }
        return first;
    }

    /* Under each number field (``input[inputmode="decimal"]``), once it is changed, the number it will be saved
       as, written in the author's language by the server: the page reads typed numbers with the server's own
       reader, so the echo and the save never disagree ("1,5" → "Will be saved as 1,5."; "1.895" → asked). */
    function echoNumbers(form, url) {
        form.addEventListener('change', function (event) {
            var input = event.target;
            if (input.tagName !== 'INPUT' || input.getAttribute('inputmode') !== 'decimal') {
                return;
            }
            var echo = input.nextElementSibling;
            if (!echo || echo.getAttribute('data-role') !== 'number-echo') {
                echo = S.el('span', {className: 'sse-muted sse-number-echo', 'data-role': 'number-echo',
                                     'aria-live': 'polite'});
                input.insertAdjacentElement('afterend', echo);
            }
            var text = input.value;
            if (!text.trim()) {
                echo.textContent = '';
                return;
            }
            S.postJSON(url, {text: text}).then(function (reply) {
                if (input.value !== text) {
                    return;  /* changed again meanwhile: that change has its own echo */
                }
                echo.className = reply.ok ? 'sse-muted sse-number-echo' : 'sse-error sse-number-echo';
                echo.textContent = (reply.data && (reply.data.message || reply.data.error)) || '';
            });
        });
    }

    /* A save that went through with warnings: told apart from a refused save by a word and an icon in the
       heading, and the box's dashed amber border (not by colour alone). */
    function warn(form, box, heading, messages) {
        clear(form, box);
        box.classList.toggle('sse-warning-box', !!messages.length);
        if (!messages.length) {
            return;
        }
        box.appendChild(S.el('p', {className: 'sse-warning', id: (box.id || 'sse-errors') + '-heading'}, heading));
        var list = S.el('ul');
        messages.forEach(function (message) { list.appendChild(S.el('li', null, message)); });
        box.appendChild(list);
    }

    /* Where a deleted item was: "Question 2 deleted." and an Undo button (its name says what it puts back).
       The caller puts the focus on the button, so that the keyboard stays where the item was. */
    function undoLine(tag, text, label, name, onUndo) {
        var line = S.el(tag, {className: 'sse-undo sse-row', 'data-role': 'undo'});
        var id = 'sse-undo-' + (counter += 1);
        line.appendChild(S.el('span', {id: id}, text));
        var button = S.el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'undo-button',
            'aria-label': name, 'aria-describedby': id}, label);
        button.addEventListener('click', onUndo);
        line.appendChild(button);
        return line;
    }

    global.SSEAcademyEditor = {show: show, clear: clear, notes: notes, askNumbers: askNumbers,
                               echoNumbers: echoNumbers, warn: warn, undoLine: undoLine};
}(window));
