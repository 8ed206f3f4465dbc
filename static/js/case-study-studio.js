/* sse_case_study, Studio editor: settings, case, prompt and the rubric (criteria and options, reorderable).
   The whole block is sent in one request; the server checks everything and saves all or nothing. */
function SSECaseStudyStudio(runtime, element, init) {
    'use strict';
    var S = window.SSEAcademy;
    var E = window.SSEAcademyEditor;
    init = S.initArgs(element, init);
    var el = S.el;
    var str = init.strings;
    var node = S.domElement(element);  // the DOM; handler addresses are asked for with ``element`` as given
    var root = node.querySelector('.sse-cs-studio') || node;
    var form = root.querySelector('[data-role="form"]');
    var list = root.querySelector('[data-role="criteria"]');
    var errorsBox = root.querySelector('[data-role="errors"]');
    var live = root.querySelector('[data-role="live"]');
    var prefix = root.getAttribute('data-prefix') || 'ssecss';
    var rubricData = root.querySelector('[data-role="rubric-data"] script');
    var rubric = rubricData ? JSON.parse(rubricData.textContent) : [];
    var NUMBERS = ['weight', 'min_words', 'max_words', 'reviews_required', 'reviews_to_give', 'lease_hours',
        'waiting_days', 'divergence_threshold', 'reviews_max', 'agreement_points', 'self_weight', 'review_share',
        'calibration_count', 'calibration_tolerance', 'calibration_retries'];

    /* Studio's runtime has notify(); the workbench's does not. */
    function notify(name, data) {
        if (runtime && typeof runtime.notify === 'function') {
            runtime.notify(name, data);
        }
    }

    /* The last deletion (a criterion with its options, or one option), until undone or the rubric changes
       otherwise: {array, index, item, text, name, owner} (``owner``: the criterion of a deleted option). */
    var removed = null;

    /* Moves keep the focus on the pressed button at the item's new place (on the other one at an end). */
    function move(array, index, delta, role) {
        var target = index + delta;
        if (target < 0 || target >= array.length) { return null; }
        removed = null;
        var item = array.splice(index, 1)[0];
        array.splice(target, 0, item);
        return [function () { return list.querySelector('[data-move="' + role + '-' + target + '-' + delta + '"]'); },
            function () { return list.querySelector('[data-move="' + role + '-' + target + '-' + (-delta) + '"]'); }];
    }

    function remove(array, index, text, name, owner) {
        removed = {array: array, index: index, item: array.splice(index, 1)[0], text: text, name: name, owner: owner};
        return [function () { return list.querySelector('[data-role="undo-button"]'); }];
    }

    function undoLine(tag, owner) {
        if (!removed || removed.owner !== owner) { return null; }
        var what = removed;
        return E.undoLine(tag, what.text, str.undo, what.name, function () {
            removed = null;
            what.array.splice(Math.min(what.index, what.array.length), 0, what.item);
            render([function () {
                var ci = owner ? rubric.indexOf(owner) : what.index;
                var li = list.querySelector('[data-criterion-index="' + ci + '"]');
                var target = li && (owner ? li.querySelectorAll('fieldset.sse-cs-option-row')[what.index] : li);
                return target ? target.querySelector('input, textarea') : null;
            }]);
        });
    }

    /* ``onClick`` returns where the focus goes after the redraw (functions tried in turn), or nothing. */
    function button(label, onClick, extra, moveKey) {
        var b = el('button', {type: 'button', className: 'sse-secondary'}, label);
        if (extra) { b.setAttribute('aria-label', extra); }
        if (moveKey) { b.setAttribute('data-move', moveKey); }
        b.addEventListener('click', function () { render(onClick()); });
        return b;
    }

    function input(id, labelText, value, onInput, kind) {
        var node = kind === 'textarea' ? el('textarea', {id: id, rows: '2', 'aria-describedby': prefix + '-markup-help'})
            : el('input', {id: id, type: kind || 'text'});
        node.value = value === undefined || value === null ? '' : String(value);
        node.addEventListener('input', function () { onInput(node.value); });
        var p = el('p', {className: 'sse-row'});
        p.appendChild(el('label', {'for': id}, labelText));
        p.appendChild(node);
        return p;
    }

    function renderOption(crit, ci, opt, oi) {
        var base = prefix + '-c' + ci + '-o' + oi;
        var title = S.format(str.option, {number: oi + 1});
        var fs = el('fieldset', {className: 'sse-cs-option-row'});
        fs.appendChild(el('legend', null, title));
        fs.appendChild(input(base + '-label', str.label, opt.label, function (v) { opt.label = v; }));
        fs.appendChild(input(base + '-points', str.points, opt.points, function (v) { opt.points = v; }, 'number'));
        fs.appendChild(input(base + '-expl', str.explanation, opt.explanation, function (v) { opt.explanation = v; }, 'textarea'));
        var row = el('p', {className: 'sse-row'});
        var key = 'c' + ci + 'o';
        row.appendChild(button(str.move_up, function () { return move(crit.options, oi, -1, key); },
            S.format(str.pair, {label: title, value: str.move_up}), key + '-' + oi + '--1'));
        row.appendChild(button(str.move_down, function () { return move(crit.options, oi, 1, key); },
            S.format(str.pair, {label: title, value: str.move_down}), key + '-' + oi + '-1'));
        row.appendChild(button(str.delete, function () {
            var which = {option: oi + 1, criterion: ci + 1};
            return remove(crit.options, oi, S.format(str.option_deleted, which), S.format(str.undo_option, which), crit);
        }, S.format(str.pair, {label: title, value: str.delete})));
        fs.appendChild(row);
        return fs;
    }

    function renderCriterion(crit, ci) {
        var base = prefix + '-c' + ci;
        var title = S.format(str.criterion, {number: ci + 1});
        var li = el('li', {'data-criterion-index': String(ci)});
        var fs = el('fieldset');
        fs.appendChild(el('legend', null, (crit.label ? S.format(str.pair, {label: title, value: crit.label}) : title)));
        fs.appendChild(input(base + '-name', str.name, crit.name, function (v) { crit.name = v; }));
        fs.appendChild(input(base + '-label', str.label, crit.label, function (v) { crit.label = v; }));
        fs.appendChild(input(base + '-desc', str.description, crit.description, function (v) { crit.description = v; }, 'textarea'));
        crit.options = crit.options || [];
        var undo = undoLine('p', crit);
        crit.options.forEach(function (opt, oi) {
            if (undo && oi === removed.index) { fs.appendChild(undo); }
            fs.appendChild(renderOption(crit, ci, opt, oi));
        });
        if (undo && removed.index >= crit.options.length) { fs.appendChild(undo); }
        var row = el('p', {className: 'sse-row'});
        row.appendChild(button(str.add_option, function () {
            removed = null;
            crit.options.push({label: '', points: 0, explanation: ''});
            return [function () {
                var options = list.querySelectorAll('[data-criterion-index="' + ci + '"] fieldset.sse-cs-option-row');
                return options.length ? options[options.length - 1].querySelector('input') : null;
            }];
        }, S.format(str.pair, {label: title, value: str.add_option})));
        row.appendChild(button(str.move_up, function () { return move(rubric, ci, -1, 'c'); },
            S.format(str.pair, {label: title, value: str.move_up}), 'c-' + ci + '--1'));
        row.appendChild(button(str.move_down, function () { return move(rubric, ci, 1, 'c'); },
            S.format(str.pair, {label: title, value: str.move_down}), 'c-' + ci + '-1'));
        row.appendChild(button(str.delete, function () {
            var which = {criterion: ci + 1};
            return remove(rubric, ci, S.format(str.criterion_deleted, which), S.format(str.undo_criterion, which), null);
        }, S.format(str.pair, {label: title, value: str.delete})));
        fs.appendChild(row);
        li.appendChild(fs);
        return li;
    }

    function render(focus) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        var undo = undoLine('li', null);
        if (!rubric.length && !undo) { list.appendChild(el('li', null, str.no_criteria)); }
        rubric.forEach(function (crit, ci) {
            if (undo && ci === removed.index) { list.appendChild(undo); }
            list.appendChild(renderCriterion(crit, ci));
        });
        if (undo && removed.index >= rubric.length) { list.appendChild(undo); }
        (focus || []).some(function (find) {
            var target = find();
            if (target && !target.disabled) { target.focus(); return true; }
            return false;
        });
    }

    function payload() {
        var data = {rubric: rubric};
        ['display_name', 'dimension', 'waiting_rule', 'content_language', 'review_due', 'self_assessment', 'case', 'prompt'].concat(NUMBERS).forEach(function (name) {
            var field = form.elements.namedItem(name);
            if (field) { data[name] = field.value; }
        });
        var weighting = form.elements.namedItem('weight_by_agreement');
        if (weighting) { data.weight_by_agreement = weighting.checked; }
        var inProfile = form.elements.namedItem('in_profile');
        if (inProfile) { data.in_profile = inProfile.checked; }
        return data;
    }

    /* A field the server named: a setting, the case, the prompt, a criterion or one of its options. */
    function locate(where) {
        var match = /^criterion-(\d+)(?:-option-(\d+))?$/.exec(where || '');
        if (match) {
            var li = list.querySelector('[data-criterion-index="' + (Number(match[1]) - 1) + '"]');
            if (!li) { return null; }
            if (match[2]) {
                return li.querySelectorAll('fieldset.sse-cs-option-row')[Number(match[2]) - 1] || li.querySelector('fieldset');
            }
            return li.querySelector('fieldset');
        }
        if (where === 'rubric') { return list.closest('fieldset'); }
        var field = where && form.elements.namedItem(where);
        if (field && !field.tagName && field.length) { return field[0].closest('fieldset'); }  /* radios */
        return field && field.tagName ? field : null;
    }

    function showErrors(messages, heading, fields) {
        if (!messages.length) {
            E.clear(form, errorsBox);
            return;
        }
        E.show(form, errorsBox, heading, messages.map(function (m, i) {
            return {message: m, field: (fields || [])[i] || ''};
        }), locate);
    }

    root.querySelector('[data-role="add-criterion"]').addEventListener('click', function () {
        removed = null;
        rubric.push({name: '', label: '', description: '', options: [{label: '', points: 0, explanation: ''}]});
        render([function () { return list.querySelector('[data-criterion-index="' + (rubric.length - 1) + '"] input'); }]);
    });
    root.querySelector('[data-role="cancel"]').addEventListener('click', function () {
        notify('cancel', {});
    });
    /* The author's choices for numbers with two readings, kept while one save asks about them. */
    var meant = {};

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        meant = {};
        send();
    });

    function send() {
        var save = root.querySelector('[data-role="save"]');
        save.disabled = true;
        showErrors([]);
        notify('save', {state: 'start', message: str.saving});
        var body = payload();
        body.meant = meant;
        S.postJSON(runtime.handlerUrl(element, 'studio_submit'), body).then(function (r) {
            save.disabled = false;
            if (r.ok) {
                var warnings = (r.data && r.data.warnings) || [];
                E.warn(form, errorsBox, str.warnings, warnings);
                S.announce(live, str.saved);
                notify('save', {state: 'end'});
                return;
            }
            var messages = (r.data && r.data.errors) || [(r.data && r.data.error) || str.failed];
            showErrors(messages, (r.data && r.data.errors) ? str.fix_errors : str.save_failed, r.data && r.data.fields);
            E.askNumbers(errorsBox, r.data && r.data.ambiguous, str.meant_number, function (typed, value) {
                meant[typed] = value;
                send();
            });
            notify('error', {title: (r.data && r.data.error) || str.save_failed, message: messages.join(' ')});
        });
    }
    E.echoNumbers(form, runtime.handlerUrl(element, 'studio_read_number'));
    render();
}
