/* sse_case_study, learner side: the practice on staff-scored examples (calibration) and the feedback to reviewers.
   Called by case-study.js with its helpers; everything is built with SSEAcademy.el / textContent, the only HTML
   inserted is the author's notes that the server sanitised with nh3 (fields ending in _html). */
window.SSECaseStudyPractice = (function () {
    'use strict';

    function calibration(view, tools) {
        var el = tools.el, append = tools.append, str = tools.strings;
        var id = tools.prefix + '-practice';
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': id, 'data-role': 'calibration'});
        append(section, [el('h3', {id: id}, str.practice), el('p', {className: 'sse-muted'}, view.intro)]);
        if (view.last) { section.appendChild(result(view.last, tools)); }
        if (view.task) {
            section.appendChild(task(view.task, tools));
        } else if (view.done) {
            section.appendChild(el('p', {className: 'sse-result sse-status', 'data-role': 'calibration-done'}, view.done));
        }
        return section;
    }

    function result(last, tools) {
        var el = tools.el, append = tools.append, str = tools.strings;
        var box = el('div', {className: 'sse-cs-practice-result', 'data-role': 'calibration-result'});
        append(box, [el('h4', null, str.practice_result),
            el('p', {className: 'sse-result ' + (last.within ? 'sse-correct' : 'sse-partial'), 'data-role': 'calibration-summary'},
                last.summary)]);
        var table = el('table');
        var head = el('tr');
        var cols = [str.criterion, str.practice_yours, str.practice_compared];
        if (last.finished) { cols.splice(2, 0, str.practice_reference); }
        cols.push(str.practice_note);
        cols.forEach(function (c) { head.appendChild(el('th', {scope: 'col'}, c)); });
        table.appendChild(el('thead')).appendChild(head);
        var body = el('tbody');
        last.criteria.forEach(function (c) {
            var tr = el('tr', {'data-matched': c.matched ? 'yes' : 'no'});
            append(tr, [el('th', {scope: 'row'}, c.label), el('td', null, c.yours)]);
            if (last.finished) { tr.appendChild(el('td', {'data-role': 'reference'}, c.reference)); }
            /* The verdict is a sentence, never a colour alone. */
            tr.appendChild(el('td', null, c.verdict));
            tr.appendChild(c.note_html ? tools.sanitisedHtml('td', '', c.note_html) : el('td'));
            body.appendChild(tr);
        });
        table.appendChild(body);
        box.appendChild(table);
        return box;
    }

    function task(t, tools) {
        var el = tools.el, append = tools.append, str = tools.strings;
        var base = tools.prefix + '-x-' + t.example.replace(/[^A-Za-z0-9_-]/g, '_');
        var form = el('form', {novalidate: 'novalidate', 'data-role': 'calibration-form', 'aria-labelledby': base + '-h'});
        append(form, [el('h4', {id: base + '-h'}, t.heading),
            el('p', {className: 'sse-muted'}, tools.format(str.practice_tries, {count: t.retries_left}))]);
        var text = el('div', {className: 'sse-cs-peer-text', 'data-role': 'example-text'});
        if (tools.contentLang) { text.setAttribute('lang', tools.contentLang); }
        text.appendChild(tools.paragraphs(t.text));
        form.appendChild(text);
        t.rubric.forEach(function (crit, ci) {
            var fs = el('fieldset', {'data-criterion': crit.name});
            fs.appendChild(el('legend', null, crit.label));
            crit.options.forEach(function (opt) {
                var input = el('input', {type: 'radio', name: base + '-c' + ci, value: String(opt.index)});
                var label = el('label', {className: 'sse-cs-option'});
                append(label, [input, document.createTextNode(' '), el('strong', null, opt.label),
                    document.createTextNode(' (' + opt.points_text + ')')]);
                fs.appendChild(label);
            });
            form.appendChild(fs);
        });
        var error = el('p', {className: 'sse-error', 'data-role': 'calibration-error', role: 'alert'});
        var submit = el('button', {type: 'submit', 'data-role': 'submit-calibration'}, str.practice_submit);
        append(form, [error, submit]);
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            var options = {};
            var missing = null;
            t.rubric.forEach(function (crit, ci) {
                var checked = form.querySelector('input[name="' + base + '-c' + ci + '"]:checked');
                if (checked) { options[crit.name] = parseInt(checked.value, 10); } else if (!missing) {
                    missing = form.querySelector('input[name="' + base + '-c' + ci + '"]');
                }
            });
            if (missing) {
                error.textContent = str.practice_incomplete;
                missing.focus();
                return;
            }
            error.textContent = '';
            submit.disabled = true;
            tools.post('submit_calibration', {example: t.example, options: options}).then(function (r) {
                submit.disabled = false;
                if (r.ok) { tools.setState(r.data.state, r.data.message, true); }
            });
        });
        return form;
    }

    function reviewerFeedback(view, tools) {
        var el = tools.el, append = tools.append, str = tools.strings;
        var id = tools.prefix + '-given';
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': id, 'data-role': 'given-feedback'});
        append(section, [el('h3', {id: id}, str.given_heading), el('p', {className: 'sse-muted'}, view.intro)]);
        if (view.distance) { section.appendChild(el('p', {'data-role': 'given-distance'}, view.distance)); }
        if (view.weight) { section.appendChild(el('p', {'data-role': 'given-weight'}, view.weight)); }
        view.reviews.forEach(function (r) {
            var box = el('div', {className: 'sse-cs-review', 'data-role': 'given-review'});
            append(box, [el('h4', null, r.heading), el('p', null, r.totals)]);
            if (r.note) { box.appendChild(el('p', {className: 'sse-muted'}, r.note)); }
            var table = el('table');
            var head = el('tr');
            [str.criterion, str.given_yours, str.given_grade, str.given_compared].forEach(function (c) {
                head.appendChild(el('th', {scope: 'col'}, c));
            });
            table.appendChild(el('thead')).appendChild(head);
            var body = el('tbody');
            r.criteria.forEach(function (c) {
                var tr = el('tr');
                append(tr, [el('th', {scope: 'row'}, c.label),
                    el('td', null, tools.format(str.pair, {label: c.yours, value: c.your_points_text})),
                    el('td', null, c.final_text), el('td', null, c.verdict)]);
                body.appendChild(tr);
            });
            table.appendChild(body);
            box.appendChild(table);
            section.appendChild(box);
        });
        return section;
    }

    /* Staff: how learners did on each example, and the alpha of reviewers who practised beside the others'. */
    function staff(root, init, tools) {
        var el = tools.el, append = tools.append;
        var box = root.querySelector('[data-role="practice-staff-body"]');
        if (!box || !init.urls.staff_calibration) { return; }
        tools.post('staff_calibration', {}).then(function (r) {
            if (!r.ok) { return; }
            var d = r.data, s = d.strings;
            /* A table wider than a phone scrolls inside its own labelled region, reachable by keyboard. */
            function scrollable(table, label) {
                var region = el('div', {className: 'sse-cs-scroll'});
                region.setAttribute('role', 'region');
                region.setAttribute('tabindex', '0');
                region.setAttribute('aria-label', label);
                region.appendChild(table);
                return region;
            }
            if (!d.on) { box.appendChild(el('p', {className: 'sse-muted'}, d.off_text)); }
            d.examples.forEach(function (ex) {
                box.appendChild(el('h4', null, ex.heading));
                var table = el('table', {'data-role': 'practice-example'});
                var head = el('tr');
                [s.criterion, s.matched, s.gap].forEach(function (c) { head.appendChild(el('th', {scope: 'col'}, c)); });
                table.appendChild(el('thead')).appendChild(head);
                var body = el('tbody');
                ex.criteria.forEach(function (c) {
                    var tr = el('tr');
                    append(tr, [el('th', {scope: 'row'}, c.label), el('td', null, c.matched), el('td', null, c.gap)]);
                    body.appendChild(tr);
                });
                table.appendChild(body);
                box.appendChild(scrollable(table, ex.heading));
            });
            box.appendChild(el('h4', null, s.alpha_heading));
            var table = el('table', {'data-role': 'practice-alpha'});
            var head = el('tr');
            [s.criterion, s.calibrated, s.uncalibrated].forEach(function (c) { head.appendChild(el('th', {scope: 'col'}, c)); });
            table.appendChild(el('thead')).appendChild(head);
            var body = el('tbody');
            d.alpha.forEach(function (row) {
                var tr = el('tr');
                append(tr, [el('th', {scope: 'row'}, row.label), el('td', null, row.calibrated), el('td', null, row.uncalibrated)]);
                body.appendChild(tr);
            });
            table.appendChild(body);
            box.appendChild(scrollable(table, s.alpha_heading));
            box.appendChild(el('p', null)).appendChild(el('a', {href: init.urls.staff_calibration_csv,
                download: 'case-study-practice.csv'}, s.csv));
        });
    }

    return {calibration: calibration, reviewerFeedback: reviewerFeedback, staff: staff};
}());
