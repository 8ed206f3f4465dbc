/* sse_case_study, the self-assessment step: the form (once, before the grade) and, once graded, the learner's
   points beside the peers' grade. Built with SSEAcademy.el / textContent; the only HTML inserted is rubric
   text the server sanitised with nh3 (fields ending in _html). Called by case-study.js. */
window.SSECaseStudySelf = function (view, ctx) {
    'use strict';
    var S = window.SSEAcademy;
    var el = S.el;
    var str = view.strings;
    var base = ctx.prefix + '-self';

    function sanitisedHtml(tag, className, html) {
        var node = el(tag, {className: className});
        node.innerHTML = html;  /* sanitised by the server (nh3) */
        return node;
    }

    function form() {
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': base + '-h', 'data-role': 'self-assessment'});
        ctx.append(section, [el('h3', {id: base + '-h'}, str.heading), el('p', {className: 'sse-muted'}, str.intro),
            el('p', {className: 'sse-muted', 'data-role': 'self-rule'}, view.rule)]);
        var f = el('form', {novalidate: 'novalidate', 'data-role': 'self-form'});
        view.rubric.forEach(function (crit, ci) {
            var fs = el('fieldset', {'data-criterion': crit.name});
            if (ctx.contentLang) { fs.setAttribute('lang', ctx.contentLang); }
            fs.appendChild(el('legend', null, crit.label));
            crit.options.forEach(function (opt) {
                var input = el('input', {type: 'radio', name: base + '-c' + ci, value: String(opt.index)});
                var label = el('label', {className: 'sse-cs-option'});
                ctx.append(label, [input, document.createTextNode(' '), el('strong', null, opt.label),
                    document.createTextNode(' (' + opt.points_text + ')')]);
                if (opt.explanation_html) { label.appendChild(sanitisedHtml('span', 'sse-cs-option-expl', opt.explanation_html)); }
                fs.appendChild(label);
            });
            f.appendChild(fs);
        });
        var error = el('p', {className: 'sse-error', id: base + '-error', role: 'alert', 'data-role': 'self-error'});
        var submit = el('button', {type: 'submit', 'data-role': 'submit-self'}, str.submit);
        ctx.append(f, [error, submit]);
        f.addEventListener('submit', function (event) {
            event.preventDefault();
            var options = {};
            var first = null;
            view.rubric.forEach(function (crit, ci) {
                var fs = f.querySelector('fieldset[data-criterion="' + crit.name + '"]');
                var checked = f.querySelector('input[name="' + base + '-c' + ci + '"]:checked');
                if (checked) {
                    options[crit.name] = parseInt(checked.value, 10);
                    fs.classList.remove('sse-invalid');
                    fs.removeAttribute('aria-describedby');
                } else {
                    fs.classList.add('sse-invalid');
                    fs.setAttribute('aria-describedby', base + '-error');
                    first = first || fs.querySelector('input');
                }
            });
            if (first) {
                error.textContent = str.choose;
                first.focus();
                return;
            }
            error.textContent = '';
            submit.disabled = true;
            ctx.post('submit_self_assessment', {options: options}).then(function (r) {
                submit.disabled = false;
                if (r.ok) {
                    ctx.setState(r.data.state, r.data.message, true);
                } else {
                    error.textContent = (r.data && r.data.error) || '';
                }
            });
        });
        section.appendChild(f);
        return section;
    }

    function comparison() {
        var section = el('section', {className: 'sse-cs-section', 'aria-labelledby': base + '-cmp', 'data-role': 'self-vs-peers'});
        section.appendChild(el('h4', {id: base + '-cmp'}, str.caption));
        section.appendChild(el('p', {className: 'sse-muted'}, view.rule));
        var table = el('table');
        var head = el('tr');
        [str.criterion, str.self, str.peers, str.gap].forEach(function (text) { head.appendChild(el('th', {scope: 'col'}, text)); });
        table.appendChild(el('thead')).appendChild(head);
        var body = el('tbody');
        view.rows.forEach(function (row) {
            var tr = el('tr');
            ctx.append(tr, [el('th', {scope: 'row'}, row.criterion), el('td', null, row.self), el('td', null, row.peers),
                el('td', null, row.gap)]);
            body.appendChild(tr);
        });
        table.appendChild(body);
        section.appendChild(table);
        return section;
    }

    return {
        form: view.open && !ctx.reviewing ? form() : null,
        status: view.status ? el('p', {className: 'sse-muted', 'data-role': 'self-status'}, view.status) : null,
        comparison: view.rows.length ? comparison() : null
    };
};
