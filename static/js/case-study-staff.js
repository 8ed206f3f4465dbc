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
        /* Points as the server writes them (l10n.number): at most 2 decimals, the page's decimal separator. */
        function pointNumber(value) { return number(value, 2, false); }
        /* Where the submission's grade stands in the gradebook: delivered, pending, failed (tried again). */
        function delivery(row) {
            var d = row.delivery || {state: 'none'};
            return word('delivery', d.state);
        }
        function points(value, possible) {
            return value === null || value === undefined ? '—' : pointNumber(value) + (possible ? ' / ' + pointNumber(possible) : '');
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
                return h.post('staff_list', {page: page, status: view.status || null, after: cursor(request.after),
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
                listBox.appendChild(el('p', null, str.empty));
                if (!data.has_next && !data.has_prev) { return; }
            }
            var rows = data.rows.map(function (row) {
                var open = el('button', {type: 'button', className: 'sse-secondary', 'data-submission': String(row.id),
                    'aria-label': h.fmt(str.open_label, {learner: row.learner})}, str.open);
                open.addEventListener('click', function () { openDetail(row.id); });
                var status = labels[row.status] || row.status;
                if (row.waiting_days !== null && row.waiting_days !== undefined) {
                    status += ' (' + h.fmt(str.waiting_days, {days: row.waiting_days}) + ')';
                }
                return [row.learner, row.submitted_at.slice(0, 16).replace('T', ' '), status,
                    row.received + ' / ' + row.required, row.given + ' / ' + row.to_give,
                    points(row.peer_points, row.points_possible), points(row.final_points, row.points_possible),
                    delivery(row), open];
            });
            if (rows.length) {
                listBox.appendChild(table([str.learner, str.submitted, str.status, str.received, str.given,
                    str.peer_grade, str.final_grade, str.gradebook, ''], rows, {'aria-labelledby': prefix}));
            }
            listBox.appendChild(h.append(el('p', {className: 'sse-row'}), [listNav.prev, listNav.label, listNav.next]));
        }

        function openDetail(id) {
            h.post('staff_submission', {submission: id}).then(function (r) {
                if (r.ok) { renderDetail(r.data.detail); }
            });
        }

        /* The error line of the open submission's actions: a refused or failed action (a 503 says whether
           anything was saved) is shown and announced next to the buttons that made it. */
        var actionError = null;

        function action(name, payload, after) {
            if (actionError) { actionError.textContent = ''; }
            return h.post(name, payload).then(function (r) {
                if (!r.ok && actionError) {
                    actionError.textContent = (r.data && r.data.error) || '';
                }
                if (r.ok) {
                    renderDetail(r.data.detail);
                    S.announce(live, r.data.message);
                    listPager.reload();
                }
                if (after) { after(r); }
                return r;
            });
        }

        function field(id, labelText, input) {
            input.id = id;
            return h.append(el('p'), [el('label', {'for': id}, labelText), el('br'), input]);
        }

        /* "Send again to the gradebook": for a submission with a grade (or a cancelled one, whose grade is taken back). */
        function sendAgain(d) {
            var send = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'send-again'}, str.send_again);
            send.addEventListener('click', function () {
                send.disabled = true;
                action('staff_send_again', {submission: d.id}, function () { send.disabled = false; });
            });
            return h.append(el('p'), [send]);
        }

        function actionForm(d) {
            var box = el('div', {className: 'sse-cs-staff-actions'});
            if (d.status === 'cancelled' || d.final_points !== null) { box.appendChild(sendAgain(d)); }
            if (d.status === 'cancelled') { return box; }
            actionError = el('p', {className: 'sse-error', role: 'alert', 'data-role': 'staff-action-error'});
            box.appendChild(actionError);
            var base = prefix + '-' + d.id;
            var best = d.points_possible || d.points_max;
            var pts = el('input', {type: 'number', min: '0', max: String(best || ''), step: '1', 'data-role': 'grade-points'});
            if (d.final_points !== null) { pts.value = String(d.final_points); }
            var reason = el('textarea', {rows: '2', maxlength: '2000', 'data-role': 'grade-reason'});
            var save = el('button', {type: 'button', 'data-role': 'grade-save'}, str.set_grade);
            save.addEventListener('click', function () {
                save.disabled = true;
                action('staff_grade', {submission: d.id, points: pts.value, reason: reason.value},
                    function () { save.disabled = false; });
            });
            var maxText = best ? ' (0–' + best + ')' : '';
            var gradeBox = el('fieldset');
            h.append(gradeBox, [el('legend', null, str.set_grade), field(base + '-pts', str.points + maxText, pts),
                field(base + '-reason', str.reason, reason), save]);
            box.appendChild(gradeBox);
            if (d.status === 'flagged') {
                var note = el('textarea', {rows: '2', maxlength: '2000'});
                var clearBtn = el('button', {type: 'button', 'data-role': 'clear-flag'}, str.clear_flag);
                clearBtn.addEventListener('click', function () { action('staff_clear_flag', {submission: d.id, note: note.value}); });
                box.appendChild(h.append(el('fieldset'), [el('legend', null, str.clear_flag), field(base + '-note', str.note, note), clearBtn]));
            }
            if (d.divergent) {
                var keep = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'clear-divergence'}, str.clear_divergence);
                keep.addEventListener('click', function () { action('staff_clear_divergence', {submission: d.id, note: ''}); });
                box.appendChild(h.append(el('p'), [el('span', null, h.fmt(str.divergent_note, {spread: d.spread})), el('br'), keep]));
            }
            var why = el('textarea', {rows: '2', maxlength: '2000', 'data-role': 'cancel-reason'});
            var cancel = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'cancel'}, str.cancel);
            cancel.addEventListener('click', function () {
                if (global.confirm(str.confirm_cancel)) { action('staff_cancel', {submission: d.id, reason: why.value}); }
            });
            box.appendChild(h.append(el('fieldset'), [el('legend', null, str.cancel), field(base + '-cancel', str.cancel_reason, why), cancel]));
            return box;
        }

        /* The author's rating of a review: staff only (the reviewer never sees it). The comment is text. */
        function feedbackOf(fb) {
            var part = el('div', {className: 'sse-cs-feedback', 'data-role': 'staff-feedback'});
            if (!fb) {
                part.appendChild(el('p', {className: 'sse-muted'}, str.fb_none));
                return part;
            }
            var when = fb.updated.slice(0, 16).replace('T', ' ');
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
                    h.fmt(str.pair, {label: str.received, value: d.received + ' / ' + d.required}),
                    h.fmt(str.pair, {label: str.given, value: d.given + ' / ' + d.to_give}),
                    h.fmt(str.pair, {label: str.peer_grade, value: points(d.peer_points, d.points_possible)}),
                    h.fmt(str.pair, {label: str.final_grade, value: points(d.final_points, d.points_possible)}),
                    h.fmt(str.pair, {label: str.gradebook, value: delivery(d)})
                ].join('. ') + '.')
            ]);
            if (d.weighting && d.weighting.weights) {
                box.appendChild(el('p', {'data-role': 'weighting'}, h.fmt(str.weighted_note, {points: pointNumber(d.weighting.plain_points)})));
            }
            h.append(box, [el('h5', null, str.response), h.paragraphs(d.text), el('h5', null, str.reviews)]);
            if (!d.reviews.length) { box.appendChild(el('p', null, str.no_reviews)); }
            d.reviews.forEach(function (r) {
                var card = el('div', {className: 'sse-cs-review-card'});
                card.appendChild(el('p', {className: 'sse-status'}, h.fmt(str.reviewer, {id: r.reviewer}) + ' — ' + r.total +
                    ' ' + str.points.toLowerCase() + ' — ' + (r.counted ? str.counted : str.not_counted) + (r.extra ? ', ' + str.extra : '')));
                var list = el('ul');
                r.parts.forEach(function (p) {
                    list.appendChild(el('li', null, h.fmt(str.pair, {label: p.criterion, value: p.option + ' (' + p.points + ')'}) + (p.comment ? ' — ' + p.comment : '')));
                });
                card.appendChild(list);
                if (r.overall) { card.appendChild(h.paragraphs(r.overall)); }
                card.appendChild(feedbackOf(r.feedback));
                box.appendChild(card);
            });
            box.appendChild(el('h5', null, str.leases));
            box.appendChild(table([str.by, str.status_col, str.when, str.expires, str.draft], d.leases.map(function (l) {
                return [l.reviewer, word('lease', l.status) + (l.expiries ? ' (×' + l.expiries + ')' : ''), l.created.slice(0, 16).replace('T', ' '),
                    l.expires_at.slice(0, 16).replace('T', ' '), l.has_draft ? str.yes : str.no];
            }), {'aria-label': str.leases}));
            if (d.flags.length) {
                box.appendChild(el('h5', null, str.flags));
                box.appendChild(table([str.by, str.reason_col, str.when, str.status_col], d.flags.map(function (f) {
                    return [f.reporter, f.reason, f.created.slice(0, 16).replace('T', ' '), word('resolution', f.resolution)];
                }), {'aria-label': str.flags}));
            }
            if (d.audit.length) {
                box.appendChild(el('h5', null, str.audit));
                box.appendChild(table([str.when, str.by, str.action, str.old, str.new, str.reason_col], d.audit.map(function (a) {
                    return [a.created.slice(0, 16).replace('T', ' '), a.staff, word('action', a.action), a.old_points, a.new_points, a.reason];
                }), {'aria-label': str.audit}));
            }
            h.append(box, [actionForm(d), close]);
            detailBox.appendChild(box);
            box.focus();
        }

        /* Review quality: agreement per criterion, reviewers most distant from the others first (paged on the
           server). A reviewer column is one entry of ``reviewerColumns`` (and one field of the server's row). */
        var qualityBox = root.querySelector('[data-role="quality-body"]');
        function number(value, digits, grouping) {
            try {
                return new Intl.NumberFormat(S.pageLanguage(root), {maximumFractionDigits: digits, useGrouping: grouping !== false})
                    .format(value);
            } catch (e) {
                return String(value);
            }
        }
        function percent(value) {
            try {
                return new Intl.NumberFormat(S.pageLanguage(root), {style: 'percent', maximumFractionDigits: 1}).format(value);
            } catch (e) {
                return Math.round(value * 1000) / 10 + ' %';
            }
        }
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
                return h.post('staff_agreement', {page: page, after: cursor(request.after), before: cursor(request.before)});
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
