/* sse_case_study, learner side: write (autosaved draft), review peers (autosaved), see the grade.
   Everything is built with SSEAcademy.el / textContent; the only HTML inserted is rubric text that the
   server already sanitised with nh3 (fields ending in _html). */
function SSECaseStudyBlock(runtime, element, init) {
    'use strict';
    var S = window.SSEAcademy;
    init = S.initArgs(element, init);
    var el = S.el;
    var str = init.strings;
    var root = element.querySelector('.sse-case-study') || element;
    var prefix = root.getAttribute('data-prefix') || 'ssecs';
    var app = root.querySelector('[data-role="app"]');
    /* The grade, once it exists, is the first thing under the title (above the case and the task). */
    var gradeSlot = root.querySelector('[data-role="grade-slot"]');
    var errorBox = root.querySelector('[data-role="error"]');
    var live = root.querySelector('[data-role="live"]');
    /* The state (it holds learners' text) is written into the page as escaped JSON, not in init. */
    var holder = root.querySelector('[data-role="state"] script');
    var state = holder ? JSON.parse(holder.textContent) : {};
    var notice = '';
    var hadGrade = !!state.grade;
    var pollTimer = null;
    var saveTimer = null;

    function fmt(template, values) { return S.format(template, values || {}); }

    function post(name, payload) {
        errorBox.textContent = '';
        return S.postJSON(init.urls[name], payload).then(function (r) {
            if (!r.ok) {
                errorBox.textContent = (r.data && r.data.error) || str.failed;
            }
            return r;
        });
    }

    function append(parent, children) {
        children.forEach(function (child) { if (child) { parent.appendChild(child); } });
        return parent;
    }

    function paragraphs(text) {
        var box = el('div', {className: 'sse-cs-peer-text'});
        String(text || '').replace(/\r\n/g, '\n').split(/\n\s*\n/).forEach(function (block) {
            if (!block.trim()) { return; }
            var p = el('p');
            block.split('\n').forEach(function (line, i) {
                if (i) { p.appendChild(el('br')); }
                p.appendChild(document.createTextNode(line));
            });
            box.appendChild(p);
        });
        return box;
    }

    /* Rubric explanations arrive sanitised by the server (nh3); they are the only HTML inserted. */
    function sanitisedHtml(tag, className, html) {
        var node = el(tag, {className: className});
        node.innerHTML = html;
        return node;
    }

    /* ``fn`` for each character of ``text``; a surrogate pair is one character. */
    function eachChar(text, fn) {
        for (var i = 0; i < text.length; i += 1) {
            var code = text.charCodeAt(i);
            var next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
            if (code >= 0xD800 && code <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
                fn(text.substr(i, 2));
                i += 1;
            } else {
                fn(text.charAt(i));
            }
        }
    }

    /* Words as the server counts them (peer.workflow.word_count), with the lists it sends: runs of
       characters between separators, a run of invisible characters only being no word. */
    var wordRule = (function (rule) {
        function chars(text) {
            var found = Object.create(null);
            eachChar(String(text || ''), function (ch) { found[ch] = true; });
            return found;
        }
        return {separators: chars(rule.separators), invisible: chars(rule.invisible)};
    }(init.word_rule || {}));

    function countWords(text) {
        var count = 0;
        var visible = false;
        eachChar(String(text), function (ch) {
            if (wordRule.separators[ch]) {
                if (visible) { count += 1; }
                visible = false;
            } else if (!wordRule.invisible[ch]) {
                visible = true;
            }
        });
        return count + (visible ? 1 : 0);
    }

    /* ``byLearner``: the learner's own action (not the poll) produced this state. Their button is gone
       (or was disabled, which drops the focus): they go on from what replaced it, not from the page top. */
    function setState(newState, message, byLearner) {
        state = newState || state;
        notice = message || '';
        render();
        if (byLearner && !app.contains(document.activeElement)) { focusNew(); }
        if (message) { S.announce(live, message); }
        if (state.grade && !hadGrade) {
            hadGrade = true;
            element.dispatchEvent(new CustomEvent('sse:scored', {bubbles: true, detail: {usageId: init.usage_id}}));
        }
        schedulePoll();
    }

    /* While the learner waits for reviews, or, graded, for their grade for reviewing (pending until a response
       they reviewed is graded), look for it now and then (only while the page is visible). */
    function schedulePoll() {
        if (pollTimer) { window.clearTimeout(pollTimer); pollTimer = null; }
        var waiting = !state.grade || (state.grade.reviewing && state.grade.reviewing.pending);
        if (state.phase !== 'submitted' || !waiting || state.review || (state.calibration && state.calibration.task)) { return; }
        pollTimer = window.setTimeout(function () {
            if (document.hidden) { schedulePoll(); return; }
            S.postJSON(init.urls.state, {}).then(function (r) {
                if (r.ok && r.data.state && JSON.stringify(r.data.state) !== JSON.stringify(state)) {
                    setState(r.data.state, r.data.state.grade ? r.data.state.grade.summary : '');
                } else {
                    schedulePoll();
                }
            });
        }, 30000);
    }

    /* ---- writing ------------------------------------------------------------------------ */

    /* When the learner's window (responses, or reviews) closes or closed: a sentence, its date localised. */
    function windowNote() {
        var w = state.window;
        if (!w || !w.text) { return null; }
        return el('p', {className: w.open ? 'sse-muted' : 'sse-result sse-status', 'data-role': 'window'}, w.text);
    }

    function renderWrite() {
        var id = prefix + '-response';
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': id + '-h'});
        if (state.window && !state.window.open) {
            /* Responses have closed: nothing can be written or submitted any more. */
            append(section, [el('h3', {id: id + '-h'}, str.your_response), windowNote()]);
            return section;
        }
        var textarea = el('textarea', {id: id, rows: '14', 'aria-describedby': id + '-words'});
        textarea.value = state.draft || '';
        var words = el('p', {id: id + '-words', className: 'sse-cs-words'});
        var status = el('p', {className: 'sse-muted', 'data-role': 'draft-status'},
            state.draft_saved ? str.saved : '');
        var submit = el('button', {type: 'button', 'data-role': 'submit-response'}, str.submit);
        var confirmBox = el('div', {className: 'sse-cs-confirm', hidden: 'hidden', 'data-role': 'confirm'});
        var yes = el('button', {type: 'button', 'data-role': 'confirm-submit'}, str.yes_submit);
        var no = el('button', {type: 'button', className: 'sse-secondary'}, str.keep_editing);
        append(confirmBox, [el('p', null, str.confirm_submit), yes, document.createTextNode(' '), no]);
        var lastSaved = textarea.value;

        function updateWords() {
            var n = countWords(textarea.value);
            var text = S.plural(str.words, n);
            var over = false;
            if (init.min_words && n < init.min_words) { text = fmt(S.plural(str.words_min, n), {min: S.number(init.min_words)}); }
            if (init.max_words && n > init.max_words) { text = fmt(S.plural(str.words_max, n), {max: S.number(init.max_words)}); over = true; }
            words.textContent = text;
            words.className = 'sse-cs-words' + (over ? ' sse-cs-over' : '');
        }

        function saveDraft() {
            if (saveTimer) { window.clearTimeout(saveTimer); saveTimer = null; }
            var text = textarea.value;
            if (text === lastSaved) { return Promise.resolve(true); }
            status.textContent = str.saving;
            return S.postJSON(init.urls.save_draft, {text: text}).then(function (r) {
                if (r.ok) {
                    lastSaved = text;
                    status.textContent = str.saved;
                } else {
                    status.textContent = fmt(str.not_saved, {error: (r.data && r.data.error) || str.failed});
                }
                return r.ok;
            });
        }

        textarea.addEventListener('input', function () {
            updateWords();
            if (saveTimer) { window.clearTimeout(saveTimer); }
            saveTimer = window.setTimeout(saveDraft, 1500);
        });
        textarea.addEventListener('blur', saveDraft);
        /* The server's word limits (init.min_words, init.max_words, counted as the server counts), checked before
           asking to confirm: a response the server would refuse is not offered for a final submission. */
        var limitError = el('p', {className: 'sse-error', id: id + '-limit', 'data-role': 'response-error'});
        function limitProblem() {
            var n = countWords(textarea.value);
            if (!textarea.value.trim()) { return str.response_empty; }
            if (init.min_words && n < init.min_words) { return fmt(S.plural(str.too_few_words, n), {min: init.min_words}); }
            if (init.max_words && n > init.max_words) { return fmt(S.plural(str.too_many_words, n), {max: init.max_words}); }
            return '';
        }
        function showLimit(message) {
            limitError.textContent = message;
            if (message) {
                textarea.setAttribute('aria-invalid', 'true');
                textarea.setAttribute('aria-describedby', id + '-words ' + id + '-limit');
            } else {
                textarea.removeAttribute('aria-invalid');
                textarea.setAttribute('aria-describedby', id + '-words');
            }
        }
        textarea.addEventListener('input', function () { if (limitError.textContent) { showLimit(limitProblem()); } });
        submit.addEventListener('click', function () {
            saveDraft();
            var problem = limitProblem();
            showLimit(problem);
            if (problem) {
                confirmBox.hidden = true;
                textarea.focus();
                return;
            }
            confirmBox.hidden = false;
            yes.focus();
        });
        no.addEventListener('click', function () { confirmBox.hidden = true; textarea.focus(); });
        yes.addEventListener('click', function () {
            yes.disabled = true;
            if (saveTimer) { window.clearTimeout(saveTimer); saveTimer = null; }
            post('submit_response', {text: textarea.value}).then(function (r) {
                yes.disabled = false;
                if (r.ok) {
                    setState(r.data.state, r.data.message, true);
                } else {
                    confirmBox.hidden = true;
                    textarea.focus();
                }
            });
        });
        updateWords();
        append(section, [
            el('h3', {id: id + '-h'}, str.your_response), windowNote(),
            state.kept_grade ? el('p', {className: 'sse-result', 'data-role': 'kept-grade'}, state.kept_grade) : null,
            el('label', {'for': id}, str.write_label), textarea, words, limitError, status, submit, confirmBox
        ]);
        return section;
    }

    /* ---- reviewing ---------------------------------------------------------------------- */

    function renderReview(task) {
        var base = prefix + '-l' + task.lease_id;
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': base + '-h'});
        var form = el('form', {novalidate: 'novalidate', 'data-role': 'review-form'});
        var draft = task.draft || {};
        var status = el('p', {className: 'sse-muted', 'data-role': 'review-status'});
        var draftTimer = null;

        task.rubric.forEach(function (crit, ci) {
            var fs = el('fieldset', {'data-criterion': crit.name});
            if (init.content_lang) { fs.setAttribute('lang', init.content_lang); }
            fs.appendChild(el('legend', null, crit.label));
            if (crit.description_html) { fs.appendChild(sanitisedHtml('div', 'sse-muted', crit.description_html)); }
            crit.options.forEach(function (opt) {
                var input = el('input', {type: 'radio', name: base + '-c' + ci, value: String(opt.index)});
                if (draft.options && draft.options[crit.name] === opt.index) { input.checked = true; }
                var label = el('label', {className: 'sse-cs-option'});
                append(label, [input, document.createTextNode(' '), el('strong', null, opt.label),
                    document.createTextNode(' (' + opt.points_text + ')')]);
                if (opt.explanation_html) { label.appendChild(sanitisedHtml('span', 'sse-cs-option-expl', opt.explanation_html)); }
                fs.appendChild(label);
            });
            var cid = base + '-comment-' + ci;
            var comment = el('textarea', {id: cid, rows: '3', maxlength: '2000', 'data-comment': crit.name});
            comment.value = (draft.comments && draft.comments[crit.name]) || '';
            append(fs, [el('label', {'for': cid}, fmt(str.comment_on, {criterion: crit.label})), comment]);
            form.appendChild(fs);
        });
        var oid = base + '-overall';
        var overall = el('textarea', {id: oid, rows: '4', maxlength: '2000', 'data-role': 'overall'});
        overall.value = draft.overall || '';
        append(form, [el('label', {'for': oid}, str.overall), overall]);
        var submit = el('button', {type: 'submit', 'data-role': 'submit-review'}, str.submit_review);
        /* Errors stand right above the button that caused them, and go once the learner fixes them. */
        var formError = el('p', {className: 'sse-error', id: base + '-error', 'data-role': 'review-error', role: 'alert'});
        append(form, [status, formError, submit]);

        function missingCriteria() {
            return task.rubric.filter(function (crit, ci) {
                return !form.querySelector('input[name="' + base + '-c' + ci + '"]:checked');
            });
        }

        function markMissing(show) {
            var first = null;
            task.rubric.forEach(function (crit, ci) {
                var fs = form.querySelector('fieldset[data-criterion="' + crit.name + '"]');
                var note = fs.querySelector('[data-role="criterion-error"]');
                var missing = !form.querySelector('input[name="' + base + '-c' + ci + '"]:checked');
                if (missing && show) {
                    if (!note) {
                        note = el('p', {className: 'sse-error', id: base + '-c' + ci + '-error', 'data-role': 'criterion-error'},
                            str.review_incomplete);
                        fs.insertBefore(note, fs.querySelector('legend').nextSibling);
                    }
                    fs.classList.add('sse-invalid');
                    fs.setAttribute('aria-describedby', note.id);
                    first = first || fs.querySelector('input[type="radio"]');
                } else if (!missing && note) {
                    note.parentNode.removeChild(note);
                    fs.classList.remove('sse-invalid');
                    fs.removeAttribute('aria-describedby');
                }
            });
            return first;
        }

        function collect() {
            var review = {options: {}, comments: {}, overall: overall.value};
            task.rubric.forEach(function (crit, ci) {
                var checked = form.querySelector('input[name="' + base + '-c' + ci + '"]:checked');
                if (checked) { review.options[crit.name] = parseInt(checked.value, 10); }
                var c = form.querySelector('textarea[data-comment="' + crit.name + '"]');
                if (c && c.value) { review.comments[crit.name] = c.value; }
            });
            return review;
        }

        function saveDraft() {
            if (draftTimer) { window.clearTimeout(draftTimer); draftTimer = null; }
            status.textContent = str.saving;
            S.postJSON(init.urls.save_review_draft, {lease_id: task.lease_id, review: collect()}).then(function (r) {
                status.textContent = r.ok ? str.saved : fmt(str.not_saved, {error: (r.data && r.data.error) || str.failed});
            });
        }
        function later() {
            if (draftTimer) { window.clearTimeout(draftTimer); }
            draftTimer = window.setTimeout(saveDraft, 1500);
        }
        form.addEventListener('input', later);
        form.addEventListener('change', later);
        form.addEventListener('change', function () {
            if (formError.textContent) {
                markMissing(true);
                if (!missingCriteria().length) { formError.textContent = ''; }
            }
        });
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            if (draftTimer) { window.clearTimeout(draftTimer); draftTimer = null; }
            formError.textContent = '';
            submit.disabled = true;
            S.postJSON(init.urls.submit_review, {lease_id: task.lease_id, review: collect()}).then(function (r) {
                submit.disabled = false;
                if (r.ok) { setState(r.data.state, r.data.message, true); return; }
                formError.textContent = (r.data && r.data.error) || str.failed;
                var first = missingCriteria().length ? markMissing(true) : null;
                (first || submit).focus();
            });
        });

        /* Kept well apart from Submit: a report is not a mis-tap away from the review. */
        var flag = el('details', {className: 'sse-cs-flag'});
        var fid = base + '-flag';
        var reason = el('textarea', {id: fid, rows: '2', maxlength: '2000'});
        var send = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'send-flag'}, str.send_flag);
        send.addEventListener('click', function () {
            send.disabled = true;
            post('flag_response', {lease_id: task.lease_id, reason: reason.value}).then(function (r) {
                send.disabled = false;
                if (r.ok) { setState(r.data.state, r.data.message, true); }
            });
        });
        append(flag, [el('summary', null, str.flag), el('label', {'for': fid}, str.flag_reason), reason, send]);

        append(section, [
            el('h3', {id: base + '-h'}, task.heading), el('p', {className: 'sse-muted'}, task.expires_text),
            el('h4', null, str.peer_response), paragraphs(task.text), form, flag
        ]);
        return section;
    }

    /* ---- the grade ---------------------------------------------------------------------- */

    function reviewCard(review) {
        var card = el('div', {className: 'sse-cs-review-card'});
        card.appendChild(el('h5', null, review.heading + ' (' + review.total_text + ')'));
        var list = el('ul');
        review.parts.forEach(function (part) {
            var li = el('li', null, fmt(str.pair, {label: part.criterion, value: part.option + ' (' + part.points_text + ')'}));
            if (part.comment) {
                var q = el('blockquote');
                q.appendChild(paragraphs(part.comment));
                li.appendChild(q);
            }
            list.appendChild(li);
        });
        card.appendChild(list);
        if (review.overall) {
            append(card, [el('p', null, fmt(str.pair, {label: str.overall_label, value: ''}).trim()), paragraphs(review.overall)]);
        }
        if (review.feedback) { card.appendChild(feedbackBox(review)); }
        return card;
    }

    /* The author's rating of one review they received: Yes / No, an optional comment, Save. Only the
       course team sees it. The saved rating and until when it may change are written out in text. */
    function characters(text) { return Array.from(String(text).replace(/\r\n/g, '\n').trim()).length; }

    function feedbackBox(review) {
        var base = prefix + '-fb' + review.id;
        var box = el('div', {className: 'sse-cs-feedback', 'data-role': 'feedback', 'data-review': String(review.id)});
        var saved = el('p', {className: 'sse-muted', 'data-role': 'feedback-saved'});
        var result = el('p', {role: 'status', 'aria-live': 'polite', 'data-role': 'feedback-result'});

        function showSaved(fb) {
            saved.textContent = fb.rated ? fb.saved_text + ' ' + fb.until_text : '';
            saved.hidden = !fb.rated;
        }

        showSaved(review.feedback);
        if (!review.feedback.editable) {
            append(box, [saved, result]);
            return box;
        }
        var form = el('form', {novalidate: 'novalidate', 'data-role': 'feedback-form'});
        var group = el('fieldset', {className: 'sse-cs-helpful'});
        group.appendChild(el('legend', null, str.helpful_q));
        [['yes', str.helpful_yes, true], ['no', str.helpful_no, false]].forEach(function (choice) {
            var input = el('input', {type: 'radio', name: base + '-helpful', id: base + '-' + choice[0], value: choice[0]});
            if (review.feedback.rated && review.feedback.helpful === choice[2]) { input.checked = true; }
            var label = el('label', {'for': base + '-' + choice[0], className: 'sse-cs-helpful-choice'});
            append(label, [input, document.createTextNode(' ' + choice[1])]);
            group.appendChild(label);
        });
        var cid = base + '-comment';
        var comment = el('textarea', {id: cid, rows: '3', 'aria-describedby': cid + '-count', 'data-role': 'feedback-comment'});
        comment.value = review.feedback.comment || '';
        var counter = el('p', {id: cid + '-count', className: 'sse-cs-words', 'data-role': 'feedback-count'});
        var save = el('button', {type: 'submit', className: 'sse-secondary', 'data-role': 'feedback-save'}, str.feedback_save);

        function updateCount() {
            var n = characters(comment.value);
            var over = n > str.feedback_max;
            var max = S.number(str.feedback_max);
            counter.textContent = over ? fmt(str.feedback_over, {count: S.number(n), max: max}) :
                fmt(S.plural(str.feedback_count, n), {max: max});
            counter.className = 'sse-cs-words' + (over ? ' sse-cs-over' : '');
            if (over) { comment.setAttribute('aria-invalid', 'true'); } else { comment.removeAttribute('aria-invalid'); }
        }
        comment.addEventListener('input', updateCount);
        updateCount();

        form.addEventListener('submit', function (event) {
            event.preventDefault();
            var checked = form.querySelector('input[name="' + base + '-helpful"]:checked');
            if (!checked) {
                S.announce(result, str.feedback_choose);
                form.querySelector('input[type="radio"]').focus();
                return;
            }
            save.disabled = true;
            S.postJSON(init.urls.rate_review, {review_id: review.id, helpful: checked.value === 'yes',
                comment: comment.value}).then(function (r) {
                save.disabled = false;
                if (r.ok) {
                    review.feedback = r.data.feedback;  /* kept in the state: a later render shows it */
                    showSaved(review.feedback);
                    S.announce(result, r.data.message);
                } else {
                    S.announce(result, (r.data && r.data.error) || str.failed);
                }
            });
        });
        append(form, [group, el('label', {'for': cid}, str.feedback_comment), comment, counter, save]);
        append(box, [form, saved, result]);
        return box;
    }

    /* The grade for reviewing (a share of the score, set by the author): its rule, the learner's grade or
       "pending", and the formula with their numbers. Text only, from the server. */
    function renderReviewing(reviewing) {
        var box = el('div', {'data-role': 'reviewing-grade'});
        append(box, [el('h4', null, reviewing.heading), el('p', null, reviewing.rule),
            el('p', {'data-role': 'reviewing-status'}, reviewing.status)]);
        if (reviewing.formula) { box.appendChild(el('p', {'data-role': 'reviewing-formula'}, reviewing.formula)); }
        return box;
    }

    function renderGrade(grade) {
        var id = prefix + '-grade';
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': id, 'data-role': 'grade'});
        append(section, [el('h3', {id: id}, str.grade),
            el('p', {className: 'sse-result sse-status', 'data-role': 'grade-summary'}, grade.summary)]);
        if (grade.weighting_text) { section.appendChild(el('p', {'data-role': 'weighting'}, grade.weighting_text)); }
        if (grade.peer_text) { section.appendChild(el('p', null, grade.peer_text)); }
        if (grade.divergent_text) { section.appendChild(el('p', null, grade.divergent_text)); }
        var table = el('table');
        var head = el('tr');
        append(head, [el('th', {scope: 'col'}, str.criterion), el('th', {scope: 'col'}, str.median)]);
        table.appendChild(el('thead')).appendChild(head);
        var body = el('tbody');
        grade.medians.forEach(function (m) {
            var tr = el('tr');
            append(tr, [el('th', {scope: 'row'}, m.label), el('td', null, m.text)]);
            body.appendChild(tr);
        });
        table.appendChild(body);
        append(section, [table, el('p', {className: 'sse-muted'}, grade.how)]);
        if (grade.reviewing) { section.appendChild(renderReviewing(grade.reviewing)); }
        section.appendChild(el('h4', null, str.reviews_counted));
        if (grade.counted.length || grade.later.length) {
            section.appendChild(el('p', {className: 'sse-muted', 'data-role': 'feedback-note'}, str.feedback_note));
        }
        grade.counted.forEach(function (r) { section.appendChild(reviewCard(r)); });
        if (grade.later.length) {
            append(section, [el('h4', null, str.reviews_later), el('p', {className: 'sse-muted'}, grade.later_note)]);
            grade.later.forEach(function (r) { section.appendChild(reviewCard(r)); });
        }
        return section;
    }

    /* ---- after submitting ---------------------------------------------------------------- */

    function reviewButton(label, extra, role) {
        var b = el('button', {type: 'button', 'data-role': role}, label);
        b.addEventListener('click', function () {
            b.disabled = true;
            post('next_review', {extra: extra}).then(function (r) {
                b.disabled = false;
                if (r.ok) { setState(r.data.state, r.data.message, true); }
            });
        });
        return b;
    }

    function renderSubmitted() {
        var frag = document.createDocumentFragment();
        if (state.phase === 'cancelled') {
            /* Where the grade would be, above the case: what happened, why, and what happens next. */
            var id = prefix + '-withdrawn';
            gradeSlot.appendChild(append(el('section', {className: 'sse-cs-section', 'aria-labelledby': id, 'data-role': 'withdrawn'}), [
                el('h3', {id: id}, state.cancelled_title),
                el('p', {className: 'sse-result sse-incorrect sse-status'}, state.cancelled),
                el('p', {'data-role': 'withdrawn-next'}, state.cancelled_next)
            ]));
        }
        var own = el('details', {className: 'sse-cs-own'});
        append(own, [el('summary', null, str.your_response),
            el('p', {className: 'sse-muted'}, fmt(S.plural(str.submitted_on, state.response.words), {when: state.response.submitted})),
            paragraphs(state.response.text)]);
        frag.appendChild(own);
        if (state.phase === 'cancelled') { return frag; }
        frag.appendChild(el('p', {'data-role': 'progress'}, state.progress));
        var note = windowNote();
        if (note) { frag.appendChild(note); }
        var practice = window.SSECaseStudyPractice;
        var tools = {el: el, append: append, post: post, setState: setState, prefix: prefix, strings: str,
            sanitisedHtml: sanitisedHtml, paragraphs: paragraphs, format: fmt, contentLang: init.content_lang};
        if (state.calibration && practice) { frag.appendChild(practice.calibration(state.calibration, tools)); }
        if (state.review) {
            frag.appendChild(renderReview(state.review));
        } else {
            var actions = el('p', {className: 'sse-row'});
            if (state.resume) { actions.appendChild(reviewButton(str.resume_review, false, 'resume-review')); }
            if (state.can_review && !state.resume) { actions.appendChild(reviewButton(str.start_review, false, 'start-review')); }
            if (state.can_extra) { actions.appendChild(reviewButton(str.extra_review, true, 'extra-review')); }
            frag.appendChild(actions);
        }
        /* The self-assessment step (case-study-self.js): its form, or what was saved, or self beside peers. */
        var selfPart = state.self_assessment && window.SSECaseStudySelf ? window.SSECaseStudySelf(state.self_assessment, {
            prefix: prefix, contentLang: init.content_lang, reviewing: !!state.review, append: append, post: post,
            setState: setState}) : null;
        if (selfPart && selfPart.form) { frag.appendChild(selfPart.form); }
        if (selfPart && selfPart.status) { frag.appendChild(selfPart.status); }
        if (state.grade) {
            var gradeSection = gradeSlot.appendChild(renderGrade(state.grade));
            if (selfPart && selfPart.comparison) {
                gradeSection.insertBefore(selfPart.comparison, gradeSection.querySelector('h4'));
            }
        } else if (state.waiting && !state.review) {
            /* While the learner reviews, the form is what matters; the waiting news comes back after. */
            frag.appendChild(el('p', {className: 'sse-result sse-partial', 'data-role': 'waiting'}, state.waiting));
        }
        if (state.given_feedback && practice) { frag.appendChild(practice.reviewerFeedback(state.given_feedback, tools)); }
        return frag;
    }

    function focusNew() {
        var target = app.querySelector('[data-role="review-form"]') && app.querySelector('.sse-cs-section h3');
        target = target || app.querySelector('[data-role="calibration-result"] h4');
        target = target || app.querySelector('[data-role="notice"]') || app.querySelector('h3');
        if (target) {
            target.setAttribute('tabindex', '-1');
            target.focus();
        }
    }

    var rulesLine = root.querySelector('.sse-cs-rules');

    function render() {
        /* The writing rules are for a response still to write, not for one that was withdrawn. */
        if (rulesLine) { rulesLine.hidden = state.phase === 'cancelled'; }
        while (app.firstChild) { app.removeChild(app.firstChild); }
        while (gradeSlot.firstChild) { gradeSlot.removeChild(gradeSlot.firstChild); }
        if (notice) { app.appendChild(el('p', {className: 'sse-result', 'data-role': 'notice'}, notice)); }
        if (state.phase === 'preview') {
            return;  /* the template already says that this is a preview */
        } else if (state.phase === 'anonymous') {
            app.appendChild(el('p', null, state.message));
        } else if (state.phase === 'write') {
            app.appendChild(renderWrite());
        } else {
            app.appendChild(renderSubmitted());
        }
    }

    S.localTimes(root);
    render();
    schedulePoll();
    if (init.staff && window.SSECaseStudyStaff) {
        window.SSECaseStudyStaff(root, init, {post: post, paragraphs: paragraphs, append: append, fmt: fmt});
    }
    if (init.staff && window.SSECaseStudyPractice) {
        window.SSECaseStudyPractice.staff(root, init, {el: el, append: append, post: post});
    }
}
