/* sse_quiz, learner view: collect answers, submit them to the server, show what the server returns.
 * Grading happens on the server only; this file never sees the key. */
function SSEQuizBlock(runtime, element, init) {
    'use strict';
    var root = element && element.jquery ? element[0] : element;
    var S = window.SSEAcademy;
    init = S.initArgs(element, init);
    var strings = (init && init.strings) || {};
    var form = root.querySelector('.sse-quiz-form');
    var submitButton = root.querySelector('[data-role="submit"]');
    var errorBox = root.querySelector('[data-role="error"]');
    var summary = root.querySelector('[data-role="summary"]');
    var closedBox = root.querySelector('[data-role="closed"]');
    var confirmBox = root.querySelector('[data-role="confirm"]');
    var confirmText = root.querySelector('[data-role="confirm-text"]');
    var nextAttempt = null;

    function collectAnswers() {
        var answers = {};
        root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
            var id = fieldset.getAttribute('data-question');
            var type = fieldset.getAttribute('data-type');
            if (type === 'multiple') {
                answers[id] = Array.prototype.map.call(
                    fieldset.querySelectorAll('input[type="checkbox"]:checked'),
                    function (input) { return input.value; }
                );
            } else if (type === 'single' || type === 'truefalse') {
                var checked = fieldset.querySelector('input[type="radio"]:checked');
                if (checked) {
                    answers[id] = type === 'truefalse' ? checked.value === 'true' : checked.value;
                }
            } else {
                var input = fieldset.querySelector('input[type="text"]');
                if (input && input.value.trim() !== '') {
                    answers[id] = input.value;
                }
            }
        });
        return answers;
    }

    function clearResult(fieldset) {
        var box = fieldset.querySelector('[data-role="result"]');
        while (box.firstChild) {
            box.removeChild(box.firstChild);
        }
        box.className = 'sse-quiz-result';
        return box;
    }

    /* Author text carries its own language when the page is in another one. */
    function contentAttrs(className) {
        var attrs = {className: className};
        if (init.content_lang) {
            attrs.lang = init.content_lang;
        }
        return attrs;
    }

    function renderResult(fieldset, question) {
        var box = clearResult(fieldset);
        if (question.result) {
            box.className += ' sse-result ' + question.result.css;
            box.appendChild(S.el('p', {className: 'sse-status'},
                question.result.status_text));
            question.result.feedback.forEach(function (html) {
                /* Author HTML, sanitised by nh3 on the server before it was sent. */
                var div = S.el('div', contentAttrs('sse-quiz-feedback'));
                div.innerHTML = html;
                box.appendChild(div);
            });
        }
        if (question.key_text) {
            box.appendChild(S.el('p', {className: 'sse-quiz-key'}, question.key_text));
        }
        if (question.explanation_html) {
            var explanation = S.el('div', contentAttrs('sse-quiz-explanation'));
            explanation.innerHTML = question.explanation_html; /* sanitised on the server */
            box.appendChild(explanation);
        }
    }

    /* A new draw per attempt (question pools): the reply's questions are the next attempt's, not those on the
       page. The page shows the results of the attempt just made, then offers the next attempt's questions. */
    function renderNewDraw(view) {
        view.last_attempt.forEach(function (question) {
            root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
                if (fieldset.getAttribute('data-question') === question.id) {
                    renderResult(fieldset, question);
                    fieldset.disabled = true;
                }
            });
        });
        submitButton.disabled = true;
        var box = root.querySelector('[data-role="new-draw"]');
        if (!box) {
            box = S.el('p', {className: 'sse-row', 'data-role': 'new-draw'});
            box.appendChild(S.el('span', null, view.new_draw_text + ' '));
            var next = S.el('button', {type: 'button', className: 'sse-secondary'}, strings.next_questions);
            next.addEventListener('click', function () { window.location.reload(); });
            box.appendChild(next);
            summary.parentNode.insertBefore(box, summary.nextSibling);
        }
    }

    function render(view) {
        nextAttempt = view.next_attempt;
        root.querySelector('[data-role="attempts"]').textContent = view.attempts_text;
        closedBox.textContent = view.closed_text || '';
        root.querySelector('[data-role="due"]').textContent = view.due_text || '';
        view.questions.forEach(function (question) {
            root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
                if (fieldset.getAttribute('data-question') === question.id) {
                    renderResult(fieldset, question);
                    /* A finished quiz is read-only: its answers stay beside their results. */
                    fieldset.disabled = !view.can_submit;
                }
            });
        });
        submitButton.disabled = !view.can_submit;
        if (view.new_draw) {
            renderNewDraw(view);
        }
        while (summary.firstChild) {
            summary.removeChild(summary.firstChild);
        }
        if (view.submitted && view.score_text) {
            summary.appendChild(S.el('p', {
                className: 'sse-status sse-result ' + (view.passed ? 'sse-correct' : 'sse-incorrect'),
                'data-role': 'score'
            }, view.score_text + ' ' + view.pass_text));
        } else if (view.results_text) {
            /* The course shows results later (or never): the learner is told their answers were counted. */
            summary.appendChild(S.el('p', {className: 'sse-status', 'data-role': 'score'}, view.results_text));
        }
    }

    function showError(message) {
        errorBox.textContent = message || strings.failed;
    }

    /* A question's own problem, beside it: the message under the field, the field marked invalid. */
    function clearProblem(fieldset) {
        var problem = fieldset.querySelector('[data-role="field-error"]');
        if (problem) {
            problem.textContent = '';
        }
        fieldset.querySelectorAll('input').forEach(function (input) { input.removeAttribute('aria-invalid'); });
    }

    /* Marks every faulty question the server named; returns the first faulty field, for the focus. */
    function showProblems(fields) {
        var first = null;
        root.querySelectorAll('.sse-quiz-question').forEach(clearProblem);
        (fields || []).forEach(function (item) {
            root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
                if (fieldset.getAttribute('data-question') !== item.field) {
                    return;
                }
                fieldset.querySelector('[data-role="field-error"]').textContent = item.message;
                fieldset.querySelectorAll('input').forEach(function (input) {
                    input.setAttribute('aria-invalid', 'true');
                });
                first = first || fieldset.querySelector('input');
            });
        });
        return first;
    }

    /* A focused button that becomes disabled drops the focus to the top of the page; a keyboard
       user is taken to what replaced it instead (the score, or the reason the quiz is closed). */
    function keepFocus(hadFocus, target) {
        if (hadFocus && submitButton.disabled && target) {
            target.setAttribute('tabindex', '-1');
            target.focus();
        }
    }

    /* Enter in an answer field would submit the whole quiz, half answered, and spend an attempt:
       only the Submit button submits. */
    form.addEventListener('keydown', function (event) {
        var target = event.target;
        if (event.key === 'Enter' && target.tagName === 'INPUT' && target.type === 'text') {
            event.preventDefault();
        }
    });

    /* How many questions have no answer (an empty "select all" counts as unanswered). */
    function unansweredCount(answers) {
        var count = 0;
        root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
            var value = answers[fieldset.getAttribute('data-question')];
            if (value === undefined || value === null || (Array.isArray(value) && !value.length)) {
                count += 1;
            }
        });
        return count;
    }

    /* A changed answer is no longer the one that was graded: its old result and feedback go. */
    form.addEventListener('change', function (event) {
        var fieldset = event.target.closest('.sse-quiz-question');
        if (fieldset) {
            clearResult(fieldset);
            clearProblem(fieldset);
        }
        confirmBox.hidden = true;
        if (!submitButton.disabled) {
            errorBox.textContent = '';
        }
    });
    form.addEventListener('input', function (event) {
        var fieldset = event.target.closest('.sse-quiz-question');
        if (fieldset && event.target.type === 'text') {
            clearResult(fieldset);
            clearProblem(fieldset);
            /* Cleared while typing, not on the change that a click on Submit fires: a message vanishing
               under the pointer would move the button between the press and the release. */
            if (!submitButton.disabled) {
                errorBox.textContent = '';
            }
        }
    });

    var busy = false;

    function send() {
        /* Busy rather than disabled while the server grades, so the button keeps the focus. */
        busy = true;
        confirmBox.hidden = true;
        errorBox.textContent = '';
        submitButton.setAttribute('aria-disabled', 'true');
        submitButton.textContent = strings.submitting;
        S.postJSON(runtime.handlerUrl(root, 'submit'), {
            attempt: nextAttempt,
            answers: collectAnswers()
        }).then(function (reply) {
            busy = false;
            submitButton.removeAttribute('aria-disabled');
            submitButton.textContent = strings.submit;
            var hadFocus = document.activeElement === submitButton || confirmBox.contains(document.activeElement) ||
                document.activeElement === document.body;
            if (reply.ok && !reply.data.view) {
                /* Counted, but the result could not be read back: say so (the error line is an alert), and do
                   not offer the same attempt again. */
                submitButton.disabled = true;
                errorBox.textContent = reply.data.message;
                keepFocus(hadFocus, errorBox);
                return;
            }
            if (reply.ok) {
                render(reply.data.view);
                keepFocus(hadFocus, summary.querySelector('[data-role="score"]'));
                S.announce(root.querySelector('[data-role="live"]'), reply.data.message);
                if (reply.data.view.score_text) {  /* a hidden score is not announced to the profile either */
                    root.dispatchEvent(new CustomEvent('sse:scored', {bubbles: true, detail: {usageId: init.usage_id}}));
                }
                return;
            }
            /* 409: the quiz is closed to this learner or this attempt was already counted; a reload shows why.
               503: the database failed and the attempt was not counted; the message says so, submit again. */
            submitButton.disabled = reply.status === 409;
            showError(reply.data.error);
            var faulty = showProblems(reply.data.fields);
            if (faulty) {
                faulty.focus();
            } else {
                keepFocus(hadFocus, errorBox);
            }
        });
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (busy || submitButton.disabled) {
            return;
        }
        var answers = collectAnswers();
        var missing = unansweredCount(answers);
        var total = root.querySelectorAll('.sse-quiz-question').length;
        if (missing && missing === total) {
            /* Nothing answered: submitting would only spend an attempt. */
            showError(strings.none_answered);
            return;
        }
        if (missing) {
            /* An unanswered question scores 0 and the attempt is spent: the learner decides. */
            errorBox.textContent = '';
            confirmText.textContent = (strings.unanswered || {})[String(missing)] || '';
            confirmBox.hidden = false;
            confirmBox.querySelector('[data-role="confirm-submit"]').focus();
            return;
        }
        send();
    });
    confirmBox.querySelector('[data-role="confirm-submit"]').addEventListener('click', function () {
        if (!busy) {
            submitButton.focus();
            send();
        }
    });
    confirmBox.querySelector('[data-role="confirm-cancel"]').addEventListener('click', function () {
        confirmBox.hidden = true;
        var first = null;
        root.querySelectorAll('.sse-quiz-question').forEach(function (fieldset) {
            if (!first && unansweredCount(collectAnswers()) &&
                    !fieldset.querySelector('input:checked') && !(fieldset.querySelector('input[type="text"]') || {}).value) {
                first = fieldset.querySelector('input');
            }
        });
        (first || submitButton).focus();
    });

    S.localTimes(root);

    /* The attempt this page answers: the one after those the server had counted when it rendered. */
    nextAttempt = (init && init.next_attempt) || 1;

    /* Staff panel: which attempts the item analysis counts. The server renders the section (escaped as the
       page is) and the status line says what is shown, so a screen reader hears the change. */
    var itemsChoice = root.querySelector('[data-role="items-choice"]');
    if (itemsChoice) {
        var itemsBody = root.querySelector('[data-role="items-body"]');
        var itemsStatus = root.querySelector('[data-role="items-status"]');
        var itemsButton = itemsChoice.querySelector('[data-role="items-show"]');
        itemsChoice.addEventListener('submit', function (event) {
            event.preventDefault();
            var picked = itemsChoice.querySelector('input[type="radio"]:checked');
            if (!picked) {
                return;
            }
            itemsButton.disabled = true;
            S.postJSON(runtime.handlerUrl(root, 'staff_items'), {attempts: picked.value}).then(function (reply) {
                itemsButton.disabled = false;
                if (reply.ok) {
                    itemsBody.innerHTML = reply.data.html; /* rendered and escaped on the server */
                    S.announce(itemsStatus, reply.data.summary);
                } else {
                    S.announce(itemsStatus, reply.data.error || strings.failed);
                }
            });
        });
    }

    /* Staff panel: reset buttons (delegated, so rows of later pages work too) and keyset paging. */
    var staffTable = root.querySelector('[data-role="staff-table"]');
    var staffStatus = root.querySelector('[data-role="staff-status"]');
    if (staffTable) {
        staffTable.addEventListener('click', function (event) {
            var button = event.target.closest('[data-role="staff-reset"]');
            if (!button || !staffTable.contains(button)) {
                return;
            }
            var learner = button.getAttribute('data-learner');
            if (!window.confirm(S.format(strings.confirm_reset, {learner: learner}))) {
                return;
            }
            button.disabled = true;
            S.postJSON(runtime.handlerUrl(root, 'staff_reset'), {learner: learner}).then(function (reply) {
                button.disabled = false;
                if (reply.ok) {
                    var row = button.closest('tr');
                    row.querySelector('[data-role="staff-attempts"]').textContent = reply.data.row.attempts_text;
                    S.announce(staffStatus, reply.data.message);
                } else {
                    S.announce(staffStatus, reply.data.error || strings.failed);
                }
            });
        });
    }
    var pages = root.querySelector('[data-role="staff-pages"]');
    if (staffTable && pages) {
        var prevButton = pages.querySelector('[data-role="staff-prev"]');
        var nextButton = pages.querySelector('[data-role="staff-next"]');
        var pageLabel = pages.querySelector('[data-role="staff-page"]');

        var staffRow = function (row) {
            var tr = S.el('tr', {'data-learner': row.learner});
            tr.appendChild(S.el('td', null, row.learner));
            tr.appendChild(S.el('td', {'data-role': 'staff-attempts'}, row.attempts_text));
            tr.appendChild(S.el('td', null, row.score));
            if (row.drawn !== null && row.drawn !== undefined) {  /* a quiz with question pools */
                tr.appendChild(S.el('td', {'data-role': 'staff-drawn'}, row.drawn));
            }
            tr.appendChild(S.el('td', null, row.last_submitted));
            var cell = S.el('td');
            cell.appendChild(S.el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'staff-reset',
                'data-learner': row.learner, 'aria-label': S.format(strings.reset_of, {learner: row.learner})},
                strings.reset));
            tr.appendChild(cell);
            return tr;
        };

        S.pager({
            prev: prevButton, next: nextButton, label: pageLabel, text: strings.page, loading: strings.loading,
            last: pages.getAttribute('data-last') || null,
            fetch: function (request) { return S.postJSON(runtime.handlerUrl(root, 'staff_page'), request); },
            draw: function (data) {
                var body = staffTable.querySelector('tbody');
                while (body.firstChild) {
                    body.removeChild(body.firstChild);
                }
                data.rows.forEach(function (row) { body.appendChild(staffRow(row)); });
            },
            failed: function (reply) { S.announce(staffStatus, reply.data.error || strings.failed); }
        });
    }

    /* Item analysis: accept a counted wrong answer, or rescore everyone; each asks first in the panel's own
       dialog (named buttons, Escape cancels, the focus returns to the button that opened it). */
    var analysis = root.querySelector('[data-role="item-analysis"]');
    var dialog = analysis && analysis.querySelector('[data-role="accept-dialog"]');
    if (dialog) {
        var acceptStatus = analysis.querySelector('[data-role="accept-status"]');
        var confirmButton = dialog.querySelector('[data-role="accept-confirm"]');
        var pending = null;
        var closeDialog = function () {
            var opener = pending && pending.opener;
            pending = null;
            if (dialog.open) {
                dialog.close();
            }
            if (opener && opener.isConnected) {
                opener.focus();
            }
        };
        var ask = function (opener, title, text, confirmLabel, run) {
            pending = {opener: opener, run: run};
            dialog.querySelector('[data-role="accept-title"]').textContent = title;
            dialog.querySelector('[data-role="accept-text"]').textContent = text;
            confirmButton.textContent = confirmLabel;
            confirmButton.disabled = false;
            dialog.showModal();
            dialog.querySelector('[data-role="accept-cancel"]').focus();
        };
        dialog.querySelector('[data-role="accept-cancel"]').addEventListener('click', closeDialog);
        dialog.addEventListener('cancel', function (event) {
            event.preventDefault();
            closeDialog();
        });
        confirmButton.addEventListener('click', function () {
            if (!pending) {
                return;
            }
            var run = pending.run;
            confirmButton.disabled = true;
            S.announce(acceptStatus, strings.working);
            run().then(function (reply) {
                var opener = pending && pending.opener;
                pending = null;
                dialog.close();
                S.announce(acceptStatus, reply.data.message || reply.data.error || strings.failed);
                if (reply.ok && opener && opener.getAttribute('data-role') === 'accept-answer') {
                    var item = opener.closest('li');
                    opener.parentNode.removeChild(opener);
                    item.appendChild(document.createTextNode(' (' + strings.accepted_mark + ')'));
                }
                if (reply.ok || !opener || !opener.isConnected) {
                    acceptStatus.focus();
                } else {
                    opener.focus();
                }
            });
        });
        analysis.addEventListener('click', function (event) {
            var accept = event.target.closest('[data-role="accept-answer"]');
            if (accept && analysis.contains(accept)) {
                ask(accept, strings.accept_title, accept.getAttribute('data-confirm'), strings.accept_confirm, function () {
                    return S.postJSON(runtime.handlerUrl(root, 'staff_accept_answer'), {
                        question: accept.getAttribute('data-question'), answer: accept.getAttribute('data-answer')
                    });
                });
                return;
            }
            var rescore = event.target.closest('[data-role="rescore-all"]');
            if (rescore && analysis.contains(rescore)) {
                ask(rescore, strings.rescore_title, rescore.getAttribute('data-confirm'), strings.rescore_confirm, function () {
                    return S.postJSON(runtime.handlerUrl(root, 'staff_rescore'), {});
                });
            }
        });
    }
}
