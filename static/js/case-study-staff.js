/* sse_case_study, staff panel: submissions list (paginated on the server), one submission in full,
   grade / clear report / keep divergent grade / cancel / send again to the gradebook, CSV download.
   Learner text is shown as text. */
(function (global) {
    'use strict';
    if (global.SSECaseStudyStaff) {
        return;
    }

    global.SSECaseStudyStaff = function (root, init, h) {
        var S = global.SSEAcademy;
        var el = S.el;
        var str = init.staff.strings;
        var labels = init.staff.statuses;
        var listBox = root.querySelector('[data-role="staff-list"]');
        var detailBox = root.querySelector('[data-role="staff-detail"]');
        var live = root.querySelector('[data-role="live"]');
        var prefix = (root.getAttribute('data-prefix') || 'ssecs') + '-staff';
        var view = {status: ''};

        var codes = init.staff.codes;
        function word(kind, code) { return codes[kind][code] || code; }
        function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
        /* Points as the server writes them (l10n.number): at most 2 decimals, grouped, the page's decimal separator. */
        function pointNumber(value) { return S.number(value); }
        /* "3 / 5": how many of how many (reviews received of required). */
        function ofCount(done, total) { return S.number(done) + ' / ' + S.number(total); }
        /* Where the submission's grade stands in the gradebook: delivered, pending, failed (tried again). */
        function delivery(row) {
            var d = row.delivery || {state: 'none'};
            return word('delivery', d.state);
        }
        function blankNumber(value) { return value === null || value === undefined ? '' : S.number(value); }
        /* A grade as the learner reads it (the server's wording, points and percentage), else its points. */
        function points(value, possible, text) {
            if (value === null || value === undefined) { return '—'; }
            return text || pointNumber(value) + (possible ? ' / ' + pointNumber(possible) : '');
        }
        /* A table scrolls sideways inside its own labelled region (reachable by keyboard) on narrow screens.
           ``opts``: ``caption``, ``role`` (the table's data-role), ``rowHeaders`` (first cell of a row is its header). */
        function table(headers, rows, label, opts) {
            opts = opts || {};
            var t = el('table', opts.role ? {'data-role': opts.role} : null);
            if (opts.caption) { t.appendChild(el('caption', null, opts.caption)); }
            var tr = el('tr');
            headers.forEach(function (text) { tr.appendChild(el('th', {scope: 'col'}, text)); });
            t.appendChild(el('thead')).appendChild(tr);
            var body = el('tbody');
            rows.forEach(function (cells) {
                var row = el('tr');
                cells.forEach(function (cell, i) {
                    var header = opts.rowHeaders && i === 0;
                    var td = el(header ? 'th' : 'td', header ? {scope: 'row'} : null);
                    if (cell && cell.nodeType) { td.appendChild(cell); } else { td.textContent = cell === null || cell === undefined ? '' : String(cell); }
                    row.appendChild(td);
                });
                body.appendChild(row);
            });
            t.appendChild(body);
            var region = el('div', label);
            region.className = 'sse-cs-scroll';
            region.setAttribute('role', 'region');
            region.setAttribute('tabindex', '0');
            region.appendChild(t);
            return region;
        }

        /* Keyset paging (SSEAcademy.pager): the same two buttons and label are put back in each redrawn list. */
        var listNav = {
            prev: el('button', {type: 'button', className: 'sse-secondary'}, str.previous),
            label: el('span'),
            next: el('button', {type: 'button', className: 'sse-secondary'}, str.next)
        };
        var listPager = S.pager({
            prev: listNav.prev, next: listNav.next, label: listNav.label, text: str.page,
            fetch: function (request, page) {
                return post('staff_list', {page: page, status: view.status || null, after: cursor(request.after),
                    before: cursor(request.before)});
            },
            draw: renderList
        });
        function cursor(value) { return value === undefined ? null : value; }

        function renderList(data) {
            clear(listBox);
            var fid = prefix + '-filter';
            var select = el('select', {id: fid, 'data-role': 'staff-filter'});
            select.appendChild(el('option', {value: ''}, str.all));
            init.staff.order.forEach(function (code) {
                var o = el('option', {value: code}, labels[code]);
                if (code === view.status) { o.selected = true; }
                select.appendChild(o);
            });
            select.addEventListener('change', function () {
                view.status = select.value; listPager.first();
            });
            var csv = el('a', {href: init.urls.staff_csv, download: 'case-study-submissions.csv', 'data-role': 'staff-csv'}, str.csv);
            h.append(listBox, [h.append(el('p', {className: 'sse-row'}, []), [el('label', {'for': fid}, str.filter), select, csv])]);
            if (!data.rows.length) {
                /* Under a filter, the list says which filter left it empty and offers to show everything. */
                if (view.status) {
                    var all = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'clear-filter'}, str.clear_filter);
                    all.addEventListener('click', function () {
                        view.status = ''; listPager.first().then(function () {
                            var filter = listBox.querySelector('[data-role="staff-filter"]');
                            if (filter) { filter.focus(); }
                        });
                    });
                    listBox.appendChild(h.append(el('p', {className: 'sse-row', 'data-role': 'empty-filter'}), [
                        el('span', null, h.fmt(str.empty_filter, {status: labels[view.status] || view.status})), all]));
                } else {
                    listBox.appendChild(el('p', null, str.empty));
                }
                if (!data.has_next && !data.has_prev) { return; }
            }
            var rows = data.rows.map(function (row) {
                var open = el('button', {type: 'button', className: 'sse-secondary', 'data-submission': String(row.id),
                    'aria-label': h.fmt(str.open_label, {learner: row.learner})}, str.open);
                open.addEventListener('click', function () { openDetail(row.id); });
                var status = labels[row.status] || row.status;
                if (row.waiting_days !== null && row.waiting_days !== undefined) {
                    status += ' (' + S.plural(str.waiting_days, row.waiting_days) + ')';
                }
                return [row.learner, S.moment(row.submitted_at), status,
                    ofCount(row.received, row.required), ofCount(row.given, row.to_give),
                    points(row.peer_points, row.points_possible, row.peer_points_text),
                    points(row.final_points, row.points_possible, row.final_points_text),
                    delivery(row), open];
            });
            if (rows.length) {
                listBox.appendChild(table([str.learner, str.submitted, str.status, str.received, str.given,
                    str.peer_grade, str.final_grade, str.gradebook, ''], rows, {'aria-labelledby': prefix}));
            }
            listBox.appendChild(h.append(el('p', {className: 'sse-row'}), [listNav.prev, listNav.label, listNav.next]));
        }

        function openDetail(id) {
            post('staff_submission', {submission: id}).then(function (r) {
                if (r.ok) { renderDetail(r.data.detail); }
            });
        }

        /* The staff panel's own requests: a refusal is shown by the form that made it, never in the learner's
           error line at the top of the block. */
        function post(name, payload) { return S.postJSON(init.urls[name], payload); }
        var rules = init.staff.rules || {};

        /* One staff form: its fields, its error line (beside its button) and what it sends. A refused or failed
           action (a 503 says whether anything was saved) marks the faulty fields and puts each message under its
           field, the focus moves to the first of them (else to the error line); checks made here first are the
           server's own (the points' range from the rubric, a reason required, its length). */
        function staffForm(legend, role) {
            var box = el('fieldset', {'data-role': role});
            box.appendChild(el('legend', null, legend));
            var error = el('p', {className: 'sse-error', role: 'alert', tabindex: '-1', 'data-role': 'staff-action-error'});
            var form = {box: box, fields: {}, error: error};
            form.add = function (name, node) { form.fields[name] = node.querySelector('input, textarea'); box.appendChild(node); };
            form.show = function (problems) {
                var first = S.showFieldErrors(form.fields, problems, error);
                if (first) { first.focus(); } else if (error.textContent) { error.focus(); }
                return !problems.length;
            };
            form.send = function (button, name, payload) {
                form.show([]);
                button.disabled = true;
                return post(name, payload).then(function (r) {
                    button.disabled = false;
                    if (r.ok) {
                        renderDetail(r.data.detail);
                        S.announce(live, r.data.message);
                        listPager.reload();
                    } else {
                        var data = r.data || {};
                        form.show(data.fields && data.fields.length ? data.fields :
                            [{field: data.ambiguous ? 'points' : null, message: data.error || (init.strings && init.strings.failed) || ''}]);
                    }
                    return r;
                });
            };
            return form;
        }

        function reasonProblem(field, value, required) {
            var text = value.trim();
            if (required && !text) { return {field: field, message: str.reason_required}; }
            if (rules.reason_max && text.length > rules.reason_max) {
                return {field: field, message: h.fmt(str.reason_long, {max: rules.reason_max})};
            }
            return null;
        }

        function field(id, labelText, input) {
            input.id = id;
            return h.append(el('p'), [el('label', {'for': id}, labelText), el('br'), input]);
        }

        /* "Send again to the gradebook": for a submission with a grade (or a cancelled one, whose grade is taken back). */
        function sendAgain(d) {
            var form = staffForm(str.gradebook, 'send-again-form');
            var send = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'send-again'}, str.send_again);
            send.addEventListener('click', function () { form.send(send, 'staff_send_again', {submission: d.id}); });
            h.append(form.box, [form.error, send]);
            return form.box;
        }

        /* A withdrawal (cancel, or a report upheld) asks first, in our own dialog with named buttons. */
        function withdrawing(button, form, reasonInput, name, question, d) {
            button.addEventListener('click', function () {
                var problem = reasonProblem('reason', reasonInput.value, true);
                if (!form.show(problem ? [problem] : [])) { return; }
                S.confirmDialog(root, button, {title: str.withdraw + ' — ' + d.learner, text: question,
                    confirm: str.withdraw, keep: str.keep_it}).then(function (yes) {
                    if (yes) { form.send(button, name, {submission: d.id, reason: reasonInput.value}); }
                });
            });
        }

        function actionForm(d) {
            var box = el('div', {className: 'sse-cs-staff-actions'});
            if (d.status === 'cancelled' || d.final_points !== null) { box.appendChild(sendAgain(d)); }
            if (d.status === 'cancelled') { return box; }
            var base = prefix + '-' + d.id;
            var best = d.points_possible || d.points_max;
            var pts = el('input', {type: 'number', min: '0', max: String(best || ''), step: '1', 'data-role': 'grade-points'});
            if (d.final_points !== null) { pts.value = String(d.final_points); }
            var reason = el('textarea', {rows: '2', maxlength: String(rules.reason_max || 2000), 'data-role': 'grade-reason'});
            var save = el('button', {type: 'button', 'data-role': 'grade-save'}, str.set_grade);
            var grade = staffForm(str.set_grade, 'grade-form');
            save.addEventListener('click', function () {
                var problems = [];
                var value = pts.value.trim();
                var n = Number(value);
                if (pts.validity.badInput || !value || !isFinite(n) || Math.floor(n) !== n) {
                    problems.push({field: 'points', message: str.points_whole});
                } else if (best && (n < 0 || n > best)) {
                    problems.push({field: 'points', message: h.fmt(str.points_range, {max: best})});
                }
                var problem = reasonProblem('reason', reason.value, true);
                if (problem) { problems.push(problem); }
                if (!grade.show(problems)) { return; }
                grade.send(save, 'staff_grade', {submission: d.id, points: pts.value, reason: reason.value});
            });
            var maxText = best ? ' (' + S.number(0) + '–' + S.number(best) + ')' : '';
            grade.add('points', field(base + '-pts', str.points + maxText, pts));
            grade.add('reason', field(base + '-reason', str.reason, reason));
            h.append(grade.box, [grade.error, save]);
            box.appendChild(grade.box);
            if (d.status === 'flagged') {
                /* A report is dismissed (the response is acceptable) or upheld (it is withdrawn); each says what
                   it does to the learner. */
                var dismiss = staffForm(str.clear_flag, 'clear-flag-form');
                var note = el('textarea', {rows: '2', maxlength: String(rules.reason_max || 2000)});
                var clearBtn = el('button', {type: 'button', 'data-role': 'clear-flag'}, str.clear_flag);
                clearBtn.addEventListener('click', function () {
                    var problem = reasonProblem('note', note.value, false);
                    if (dismiss.show(problem ? [problem] : [])) {
                        dismiss.send(clearBtn, 'staff_clear_flag', {submission: d.id, note: note.value});
                    }
                });
                dismiss.box.appendChild(el('p', {className: 'sse-muted'}, str.clear_effect));
                dismiss.add('note', field(base + '-note', str.note, note));
                h.append(dismiss.box, [dismiss.error, clearBtn]);
                box.appendChild(dismiss.box);
                var uphold = staffForm(str.uphold, 'uphold-flag-form');
                var upholdWhy = el('textarea', {rows: '2', maxlength: String(rules.reason_max || 2000), 'data-role': 'uphold-reason'});
                var upholdBtn = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'uphold-flag'}, str.uphold);
                withdrawing(upholdBtn, uphold, upholdWhy, 'staff_uphold_flag', str.confirm_uphold, d);
                uphold.box.appendChild(el('p', {className: 'sse-muted'}, str.uphold_effect));
                uphold.add('reason', field(base + '-uphold', str.cancel_reason, upholdWhy));
                h.append(uphold.box, [uphold.error, upholdBtn]);
                box.appendChild(uphold.box);
            }
            if (d.divergent) {
                var divergent = staffForm(str.clear_divergence, 'divergence-form');
                var keep = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'clear-divergence'}, str.clear_divergence);
                keep.addEventListener('click', function () { divergent.send(keep, 'staff_clear_divergence', {submission: d.id, note: ''}); });
                h.append(divergent.box, [el('p', null, h.fmt(str.divergent_note, {spread: d.spread})), divergent.error, keep]);
                box.appendChild(divergent.box);
            }
            var cancelForm = staffForm(str.cancel, 'cancel-form');
            var why = el('textarea', {rows: '2', maxlength: String(rules.reason_max || 2000), 'data-role': 'cancel-reason'});
            var cancel = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'cancel'}, str.cancel);
            withdrawing(cancel, cancelForm, why, 'staff_cancel', str.confirm_cancel, d);
            cancelForm.add('reason', field(base + '-cancel', str.cancel_reason, why));
            h.append(cancelForm.box, [cancelForm.error, cancel]);
            box.appendChild(cancelForm.box);
            return box;
        }

        /* The author's rating of a review: staff only (the reviewer never sees it). The comment is text. */
        function feedbackOf(fb) {
            var part = el('div', {className: 'sse-cs-feedback', 'data-role': 'staff-feedback'});
            if (!fb) {
                part.appendChild(el('p', {className: 'sse-muted'}, str.fb_none));
                return part;
            }
            var when = S.moment(fb.updated);
            part.appendChild(el('p', {className: 'sse-status'}, h.fmt(fb.helpful ? str.fb_helpful : str.fb_not_helpful, {when: when})));
            if (fb.comment) {
                var q = el('blockquote');
                q.appendChild(h.paragraphs(fb.comment));
                h.append(part, [el('p', null, str.fb_comment), q]);
            }
            return part;
        }

        function renderDetail(d) {
            clear(detailBox);
            var id = prefix + '-detail-' + d.id;
            var box = el('section', {className: 'sse-cs-detail', 'aria-labelledby': id, tabindex: '-1', 'data-role': 'detail'});
            var close = el('button', {type: 'button', className: 'sse-secondary'}, str.close);
            close.addEventListener('click', function () { clear(detailBox); });
            h.append(box, [
                el('h4', {id: id}, d.learner + ' — ' + (labels[d.status] || d.status)),
                el('p', null, [
                    h.fmt(str.pair, {label: str.received, value: ofCount(d.received, d.required)}),
                    h.fmt(str.pair, {label: str.given, value: ofCount(d.given, d.to_give)}),
                    h.fmt(str.pair, {label: str.peer_grade, value: points(d.peer_points, d.points_possible, d.peer_points_text)}),
                    h.fmt(str.pair, {label: str.final_grade, value: points(d.final_points, d.points_possible, d.final_points_text)}),
                    h.fmt(str.pair, {label: str.gradebook, value: delivery(d)})
                ].concat(d.score === null || d.score === undefined ? [] : [
                    /* with a share of the score for reviewing: the learner's grade for it and the score sent */
                    h.fmt(str.pair, {label: str.reviewing_grade, value: d.reviewing_grade === null
                        ? str.reviewing_pending : S.percent(Math.round(d.reviewing_grade * 100))}),
                    h.fmt(str.pair, {label: str.score_with_reviewing, value: points(d.score, d.points_possible)})
                ]).join('. ') + '.')
            ]);
            if (d.weighting && d.weighting.weights) {
                box.appendChild(el('p', {'data-role': 'weighting'}, S.plural(str.weighted_note, d.weighting.plain_points)));
            }
            h.append(box, [el('h5', null, str.response), h.paragraphs(d.text), el('h5', null, str.reviews)]);
            if (!d.reviews.length) { box.appendChild(el('p', null, str.no_reviews)); }
            d.reviews.forEach(function (r) {
                var card = el('div', {className: 'sse-cs-review-card'});
                card.appendChild(el('p', {className: 'sse-status'}, h.fmt(str.reviewer, {id: r.reviewer}) + ' — ' +
                    S.plural(str.point_count, r.total) + ' — ' + (r.counted ? str.counted : str.not_counted) + (r.extra ? ', ' + str.extra : '')));
                var list = el('ul');
                r.parts.forEach(function (p) {
                    list.appendChild(el('li', null, h.fmt(str.pair, {label: p.criterion, value: p.option + ' (' + S.plural(str.point_count, p.points) + ')'}) + (p.comment ? ' — ' + p.comment : '')));
                });
                card.appendChild(list);
                if (r.overall) { card.appendChild(h.paragraphs(r.overall)); }
                card.appendChild(feedbackOf(r.feedback));
                box.appendChild(card);
            });
            box.appendChild(el('h5', null, str.leases));
            box.appendChild(table([str.by, str.status_col, str.when, str.expires, str.draft], d.leases.map(function (l) {
                return [l.reviewer, word('lease', l.status) + (l.expiries ? ' (×' + S.number(l.expiries) + ')' : ''), S.moment(l.created),
                    S.moment(l.expires_at), l.has_draft ? str.yes : str.no];
            }), {'aria-label': str.leases}));
            if (d.flags.length) {
                box.appendChild(el('h5', null, str.flags));
                box.appendChild(table([str.by, str.reason_col, str.when, str.status_col], d.flags.map(function (f) {
                    return [f.reporter, f.reason, S.moment(f.created), word('resolution', f.resolution)];
                }), {'aria-label': str.flags}));
            }
            if (d.audit.length) {
                box.appendChild(el('h5', null, str.audit));
                box.appendChild(table([str.when, str.by, str.action, str.old, str.new, str.reason_col], d.audit.map(function (a) {
                    return [S.moment(a.created), a.staff, word('action', a.action), blankNumber(a.old_points), blankNumber(a.new_points), a.reason];
                }), {'aria-label': str.audit}));
            }
            h.append(box, [actionForm(d), close]);
            detailBox.appendChild(box);
            box.focus();
        }

        /* Review quality: agreement per criterion, reviewers most distant from the others first (paged on the
           server). A reviewer column is one entry of ``reviewerColumns`` (and one field of the server's row). */
        var qualityBox = root.querySelector('[data-role="quality-body"]');
        function number(value, digits) { return S.number(value, digits); }
        /* A share (0.25) as a percentage with at most one decimal, spaced as the language spaces it. */
        function percent(value) { return S.percent(Math.round(value * 1000) / 10); }
        var reviewerColumns = [
            {label: str.q_reviewer, value: function (r) { return r.reviewer; }},
            {label: str.q_reviews, value: function (r) { return number(r.reviews, 0); }},
            {label: str.q_distance, value: function (r) { return percent(r.mean_distance); }},
            {label: '', weight: true, value: function (r) {
                return r.weighted ? number(r.weight, 2) : number(r.weight, 2) + ' (' + str.q_too_few + ')';
            }},
            {label: str.q_helpful, value: function (r) {
                return r.rated ? S.format(str.q_helpful_value, {helpful: number(r.rated_helpful, 0), rated: number(r.rated, 0)})
                    : str.q_not_rated;
            }}
        ];
        function captioned(caption, headers, rows, role) {
            return table(headers, rows, {'aria-label': caption}, {caption: caption, role: role, rowHeaders: true});
        }
        var qualityNav = {
            prev: el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'quality-prev'}, str.previous),
            label: el('span'),
            next: el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'quality-next'}, str.next)
        };
        /* The reviewers' table pages; the new page is announced after a turn. */
        var qualityPager = S.pager({
            prev: qualityNav.prev, next: qualityNav.next, label: qualityNav.label, text: str.page, live: live,
            fetch: function (request, page) {
                return post('staff_agreement', {page: page, after: cursor(request.after), before: cursor(request.before)});
            },
            paging: function (data) { return data.reviewers; },
            draw: renderQuality
        });
        function renderQuality(data) {
            clear(qualityBox);
            h.append(qualityBox, [
                el('p', null, str.q_intro),
                el('p', {'data-role': 'quality-weighting'}, data.weighting_on ? str.q_weighting_on : str.q_weighting_off)
            ]);
            var criteria = data.criteria.map(function (c) {
                return [c.label, c.alpha_text, number(c.units, 0), number(c.reviews, 0)];
            });
            qualityBox.appendChild(captioned(str.q_criteria_caption, [str.criterion, str.q_alpha, str.q_units, str.q_scores],
                criteria, 'quality-criteria'));
            var gaps = data.self_gaps;  /* the self-assessment's mean self-minus-peers gap, when the block has one */
            if (gaps) {
                h.append(qualityBox, [el('p', null, gaps.note), captioned(gaps.caption, [gaps.criterion, gaps.responses,
                    gaps.gap_header], gaps.rows.map(function (g) { return [g.label, number(g.responses, 0), g.gap]; }),
                    'quality-self-gaps'),
                    h.append(el('p'), [el('a', {href: init.urls.staff_self_assessment_csv,
                        download: 'case-study-self-assessment.csv', 'data-role': 'self-csv'}, gaps.csv)])]);
            }
            var reviewers = data.reviewers;
            var csv = el('a', {href: init.urls.staff_agreement_csv, download: 'case-study-reviewers.csv',
                'data-role': 'quality-csv'}, str.q_csv);
            if (!reviewers.rows.length && !reviewers.has_prev) {
                h.append(qualityBox, [el('p', null, str.q_no_reviewers)]);
                return;
            }
            qualityBox.appendChild(el('p', null, h.fmt(str.q_reviewers_note, {min: data.min_reviews})));
            qualityBox.appendChild(captioned(str.q_reviewers_caption, reviewerColumns.map(function (c) {
                return c.weight ? data.weight_label : c.label;
            }),
                reviewers.rows.map(function (row) {
                    return reviewerColumns.map(function (c) { return c.value(row); });
                }), 'quality-reviewers'));
            qualityBox.appendChild(h.append(el('p', {className: 'sse-row'}), [qualityNav.prev, qualityNav.label, qualityNav.next, csv]));
        }

        listPager.first();
        if (qualityBox && init.urls.staff_agreement) { qualityPager.first(); }
    };
}(window));
