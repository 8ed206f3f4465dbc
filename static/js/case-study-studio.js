/* sse_case_study, Studio editor: settings, case, prompt, the rubric (criteria and options, reorderable) and the
   practice examples (a response, the reference option and a note per criterion).
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
    var examplesList = root.querySelector('[data-role="examples"]');
    var examplesData = root.querySelector('[data-role="calibration-data"] script');
    var examples = examplesData ? JSON.parse(examplesData.textContent) : [];
    var maxExamples = Number(examplesList.getAttribute('data-max')) || 10;
    examples.forEach(function (ex) {
        ex.reference = ex.reference || {};
        ex.notes = ex.notes || {};
    });
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
        fs.appendChild(input(base + '-label', str.label, opt.label, function (v) {
            relabel(crit, opt.label, v);
            opt.label = v;
        }));
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
        fs.appendChild(input(base + '-name', str.name, crit.name, function (v) {
            rename(crit.name, v);
            crit.name = v;
        }));
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
        renderExamples();
        focusFirst(focus);
    }

    function focusFirst(focus) {
        (focus || []).some(function (find) {
            var target = find();
            if (target && !target.disabled) { target.focus(); return true; }
            return false;
        });
    }

    /* --- practice examples: the reference option is kept by its label and the criterion by its name, as the
       server stores them; renaming a criterion or relabelling an option carries the examples' choices along. */

    function rename(from, to) {
        if (from === to) { return; }
        examples.forEach(function (ex) {
            ['reference', 'notes'].forEach(function (key) {
                if (Object.prototype.hasOwnProperty.call(ex[key], from) && !Object.prototype.hasOwnProperty.call(ex[key], to)) {
                    ex[key][to] = ex[key][from];
                    delete ex[key][from];
                }
            });
        });
    }

    function relabel(crit, from, to) {
        examples.forEach(function (ex) {
            if (ex.reference[crit.name] === from) { ex.reference[crit.name] = to; }
        });
    }

    /* The last deleted example, until undone or another is added: {index, item}. */
    var removedExample = null;

    function criterionTitle(crit, ci) {
        return crit.label || crit.name || S.format(str.no_criterion_name, {number: ci + 1});
    }

    function fillReference(select, crit, ex) {
        while (select.firstChild) { select.removeChild(select.firstChild); }
        select.appendChild(el('option', {value: ''}, str.example_choose));
        var chosen = ex.reference[crit.name];
        (crit.options || []).forEach(function (opt, oi) {
            var option = el('option', {value: String(oi)}, opt.label || S.format(str.option, {number: oi + 1}));
            if (chosen !== undefined && opt.label === chosen) { option.selected = true; }
            select.appendChild(option);
        });
    }

    function renderExampleCriterion(ex, ei, crit, ci) {
        var base = prefix + '-e' + ei + '-c' + ci;
        var title = criterionTitle(crit, ci);
        var box = el('div', {className: 'sse-cs-example-criterion', 'data-criterion': String(ci)});
        var row = el('p', {className: 'sse-row'});
        var select = el('select', {id: base + '-ref', 'data-field': 'reference-' + ci});
        fillReference(select, crit, ex);
        select.addEventListener('change', function () {
            var opt = crit.options[Number(select.value)];
            if (select.value === '' || !opt) { delete ex.reference[crit.name]; } else { ex.reference[crit.name] = opt.label; }
        });
        row.appendChild(el('label', {'for': select.id, 'data-text': 'reference'}, S.format(str.example_reference, {criterion: title})));
        row.appendChild(select);
        box.appendChild(row);
        var note = input(base + '-note', S.format(str.example_note, {criterion: title}), ex.notes[crit.name], function (v) {
            ex.notes[crit.name] = v;
        }, 'textarea');
        note.querySelector('label').setAttribute('data-text', 'note');
        note.querySelector('textarea').setAttribute('data-field', 'note-' + ci);
        box.appendChild(note);
        return box;
    }

    function renderExample(ex, ei) {
        var base = prefix + '-e' + ei;
        var title = S.format(str.example, {number: ei + 1});
        var li = el('li', {'data-example-index': String(ei)});
        var fs = el('fieldset');
        fs.appendChild(el('legend', null, ex.name ? S.format(str.pair, {label: title, value: ex.name}) : title));
        var name = input(base + '-name', str.name, ex.name, function (v) { ex.name = v; });
        name.querySelector('input').setAttribute('data-field', 'name');
        fs.appendChild(name);
        var row = el('p', {className: 'sse-row'});
        var response = el('textarea', {id: base + '-response', rows: '6', 'data-field': 'response'});
        response.value = ex.response || '';
        response.addEventListener('input', function () { ex.response = response.value; });
        row.appendChild(el('label', {'for': response.id}, str.example_response));
        row.appendChild(response);
        fs.appendChild(row);
        rubric.forEach(function (crit, ci) { fs.appendChild(renderExampleCriterion(ex, ei, crit, ci)); });
        var tools = el('p', {className: 'sse-row'});
        var del = el('button', {type: 'button', className: 'sse-secondary',
            'aria-label': S.format(str.pair, {label: title, value: str.delete})}, str.delete);
        del.addEventListener('click', function () {
            removedExample = {index: ei, item: examples.splice(ei, 1)[0]};
            renderExamples([function () { return examplesList.querySelector('[data-role="undo-button"]'); }]);
        });
        tools.appendChild(del);
        fs.appendChild(tools);
        li.appendChild(fs);
        return li;
    }

    function exampleUndoLine() {
        if (!removedExample) { return null; }
        var what = removedExample;
        var which = {number: what.index + 1};
        return E.undoLine('li', S.format(str.example_deleted, which), str.undo, S.format(str.undo_example, which), function () {
            removedExample = null;
            var at = Math.min(what.index, examples.length);
            examples.splice(at, 0, what.item);
            renderExamples([function () {
                return examplesList.querySelector('[data-example-index="' + at + '"] input');
            }]);
        });
    }

    function renderExamples(focus) {
        while (examplesList.firstChild) { examplesList.removeChild(examplesList.firstChild); }
        var undo = exampleUndoLine();
        if (!examples.length && !undo) { examplesList.appendChild(el('li', null, str.no_examples)); }
        examples.forEach(function (ex, ei) {
            if (undo && ei === removedExample.index) { examplesList.appendChild(undo); }
            examplesList.appendChild(renderExample(ex, ei));
        });
        if (undo && removedExample.index >= examples.length) { examplesList.appendChild(undo); }
        focusFirst(focus);
    }

    /* A criterion's name or label, or an option's label, typed in the rubric: the examples' choices and labels
       follow in place (the fields are not redrawn, so nothing loses the focus or what is typed in it). */
    function refreshExamples() {
        Array.prototype.forEach.call(examplesList.querySelectorAll('li[data-example-index]'), function (li) {
            var ex = examples[Number(li.getAttribute('data-example-index'))];
            if (!ex) { return; }
            rubric.forEach(function (crit, ci) {
                var box = li.querySelector('[data-criterion="' + ci + '"]');
                if (!box) { return; }
                var title = criterionTitle(crit, ci);
                box.querySelector('[data-text="reference"]').textContent = S.format(str.example_reference, {criterion: title});
                box.querySelector('[data-text="note"]').textContent = S.format(str.example_note, {criterion: title});
                fillReference(box.querySelector('select'), crit, ex);
            });
        });
    }
    list.addEventListener('input', refreshExamples);

    function examplesPayload() {
        return examples.map(function (ex) {
            var reference = {};
            var notes = {};
            rubric.forEach(function (crit) {
                if (ex.reference[crit.name] !== undefined) { reference[crit.name] = ex.reference[crit.name]; }
                if (ex.notes[crit.name] && String(ex.notes[crit.name]).trim()) { notes[crit.name] = ex.notes[crit.name]; }
            });
            return {name: ex.name || '', response: ex.response || '', reference: reference, notes: notes};
        });
    }

    function payload() {
        var data = {rubric: rubric, calibration: examplesPayload()};
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
        if (where === 'calibration') { return examplesList.closest('fieldset'); }
        var example = /^example-(\d+)(?:-(name|response|criterion|note)(?:-(\d+))?)?$/.exec(where || '');
        if (example) {
            var item = examplesList.querySelector('[data-example-index="' + (Number(example[1]) - 1) + '"]');
            if (!item) { return examplesList.closest('fieldset'); }
            var key = example[2] === 'criterion' ? 'reference-' + (Number(example[3]) - 1)
                : example[2] === 'note' ? 'note-' + (Number(example[3]) - 1) : example[2];
            return (key && item.querySelector('[data-field="' + key + '"]')) || item.querySelector('fieldset');
        }
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
    root.querySelector('[data-role="add-example"]').addEventListener('click', function () {
        if (examples.length >= maxExamples) {
            S.announce(live, S.format(str.max_examples, {max: maxExamples}));
            return;
        }
        removedExample = null;
        var names = examples.map(function (ex) { return ex.name; });
        var number = examples.length + 1;
        while (names.indexOf('example-' + number) >= 0) { number += 1; }
        examples.push({name: 'example-' + number, response: '', reference: {}, notes: {}});
        renderExamples([function () {
            return examplesList.querySelector('[data-example-index="' + (examples.length - 1) + '"] textarea');
        }]);
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
