/* sse_quiz, Studio editor: edit the settings and the questions, then save them all at once.
 * The server validates the whole payload and returns every error; nothing is saved unless all is valid. */
function SSEQuizStudio(runtime, element, init) {
    'use strict';
    var S = window.SSEAcademy;
    var root = S.domElement(element);  // the DOM; handler addresses are asked for with ``element`` as given
    var E = window.SSEAcademyEditor;
    init = S.initArgs(element, init);
    var T = init.strings || {};
    var registry = init.registry || {types: []};
    var hasChoices = {};
    registry.types.forEach(function (t) { hasChoices[t.value] = t.has_choices; });
    var questions = JSON.parse(JSON.stringify(init.questions || []));
    /* Question pools: [{id, draw, balanced}]; a question names its pool in ``pool`` (null: asked of everyone). */
    var pools = JSON.parse(JSON.stringify(init.pools || []));
    var list = root.querySelector('[data-role="questions"]');
    var poolList = root.querySelector('[data-role="pools"]');
    var errorsBox = root.querySelector('[data-role="errors"]');
    var form = root.querySelector('[data-role="editor"]');
    var uid = 0;
    /* The last deletion, until it is undone or something else changes the list: {array, index, item, text, name,
       owner} (``owner``: the question of a deleted choice). Its undo line stands where the item was. */
    var removed = null;

    function notify(name, data) {
        if (runtime && typeof runtime.notify === 'function') {
            runtime.notify(name, data);
        }
    }

    function nextId(prefix, taken) {
        var n = taken.length + 1;
        while (taken.indexOf(prefix + n) !== -1) {
            n += 1;
        }
        return prefix + n;
    }

    function blankChoice(question) {
        return {id: nextId('c', question.choices.map(function (c) { return c.id; })), text: '', correct: false, feedback: ''};
    }

    function blankQuestion() {
        var q = {id: nextId('q', questions.map(function (x) { return x.id; })), type: 'single', prompt: '', points: 1,
            dimension: null, choices: [], answer: null, tolerance: 0, accepted: [], explanation: ''};
        q.choices.push(blankChoice(q));
        q.choices.push(blankChoice(q));
        return q;
    }

    /* A labelled control; `onInput` receives the control's value. */
    function field(labelText, control, onInput, eventName) {
        var id = 'sseqs-f' + (uid += 1);
        control.id = id;
        var wrap = S.el('div', {className: 'sse-row'});
        wrap.appendChild(S.el('label', {'for': id}, labelText));
        wrap.appendChild(control);
        control.addEventListener(eventName || 'input', function () {
            onInput(control.type === 'checkbox' ? control.checked : control.value);
        });
        return wrap;
    }

    /* A stored number in the author's language ("1,5" on a Spanish page); sent back unchanged as the
       number itself unless the author edits it (then the server reads the text). */
    var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined,
        {useGrouping: false, maximumFractionDigits: 20});

    function textInput(value, number) {
        var input = S.el('input', number ? {type: 'text', inputmode: 'decimal'} : {type: 'text'});
        if (number && typeof value === 'number') {
            input.value = numberFormat.format(value);
        } else {
            input.value = value === null || value === undefined ? '' : String(value);
        }
        return input;
    }

    var helpId = (root.querySelector('.sse-markup-help') || {}).id;

    function textArea(value, short) {
        var area = S.el('textarea', short ? {className: 'sse-short'} : {});
        if (helpId) {
            area.setAttribute('aria-describedby', helpId);
        }
        area.value = value || '';
        return area;
    }

    function select(options, value) {
        var node = S.el('select');
        options.forEach(function (o) {
            var option = S.el('option', {value: o.value}, o.label);
            if (String(o.value) === String(value)) {
                option.selected = true;
            }
            node.appendChild(option);
        });
        return node;
    }

    /* `name`, when given, is the button's full accessible name ("Delete question 2"). */
    function button(text, onClick, disabled, name) {
        var node = S.el('button', {type: 'button', className: 'sse-secondary'}, text);
        if (name) {
            node.setAttribute('aria-label', name);
        }
        node.disabled = !!disabled;
        node.addEventListener('click', onClick);
        return node;
    }

    function move(array, index, delta, focusSelector, fallback) {
        var target = index + delta;
        if (target < 0 || target >= array.length) {
            return;
        }
        removed = null;
        var item = array.splice(index, 1)[0];
        array.splice(target, 0, item);
        render(focusSelector ? focusSelector(target) : null, fallback ? fallback(target) : null);
    }

    /* Delete ``array[index]``; the focus goes to the Undo button that now stands in its place. */
    function remove(array, index, text, name, owner) {
        removed = {array: array, index: index, item: array.splice(index, 1)[0], text: text, name: name, owner: owner};
        render('[data-role="undo-button"]');
    }

    function undoLine(tag, owner) {
        if (!removed || removed.owner !== owner) {
            return null;
        }
        var what = removed;
        return E.undoLine(tag, what.text, T.undo, what.name, function () {
            removed = null;
            what.array.splice(Math.min(what.index, what.array.length), 0, what.item);
            render(owner ? '[data-q="' + questions.indexOf(owner) + '"] [data-c="' + what.index + '"] input'
                : '[data-q="' + what.index + '"] input');
        });
    }

    function renderChoices(question, qIndex, container) {
        var ol = S.el('ol', {className: 'sse-editor-list'});
        var undo = undoLine('li', question);
        question.choices.forEach(function (choice, cIndex) {
            if (undo && cIndex === removed.index) {
                ol.appendChild(undo);
            }
            var li = S.el('li');
            var fs = S.el('fieldset');
            fs.appendChild(S.el('legend', {}, S.format(T.choice, {number: cIndex + 1})));
            fs.appendChild(field(T.id, textInput(choice.id), function (v) { choice.id = v; }));
            var correct = S.el('input', {type: 'checkbox'});
            correct.checked = !!choice.correct;
            fs.appendChild(field(T.correct, correct, function (v) {
                choice.correct = v;
                if (v && question.type === 'single') {
                    question.choices.forEach(function (other) { other.correct = other === choice; });
                    render('[data-q="' + qIndex + '"] [data-c="' + cIndex + '"] input[type="checkbox"]');
                }
            }, 'change'));
            /* A choice is one line of text (with the same markup); its feedback may be longer. */
            var text = textInput(choice.text);
            if (helpId) {
                text.setAttribute('aria-describedby', helpId);
            }
            fs.appendChild(field(T.text, text, function (v) { choice.text = v; }));
            fs.appendChild(field(T.feedback, textArea(choice.feedback, true), function (v) { choice.feedback = v; }));
            var actions = S.el('div', {className: 'sse-row'});
            var sel = function (i) { return '[data-q="' + qIndex + '"] [data-c="' + i + '"] [data-act="up"]'; };
            var which = {choice: cIndex + 1, question: qIndex + 1};
            var up = button(T.move_up, function () { move(question.choices, cIndex, -1, sel); }, cIndex === 0,
                S.format(T.move_choice_up, which));
            up.setAttribute('data-act', 'up');
            actions.appendChild(up);
            actions.appendChild(button(T.move_down, function () { move(question.choices, cIndex, 1, sel); },
                cIndex === question.choices.length - 1, S.format(T.move_choice_down, which)));
            actions.appendChild(button(T['delete'], function () {
                remove(question.choices, cIndex, S.format(T.choice_deleted, which), S.format(T.undo_choice, which), question);
            }, false, S.format(T.delete_choice, which)));
            fs.appendChild(actions);
            li.setAttribute('data-c', String(cIndex));
            li.appendChild(fs);
            ol.appendChild(li);
        });
        if (undo && removed.index >= question.choices.length) {
            ol.appendChild(undo);
        }
        container.appendChild(ol);
        var add = button(T.add_choice, function () {
            removed = null;
            question.choices.push(blankChoice(question));
            render('[data-q="' + qIndex + '"] [data-c="' + (question.choices.length - 1) + '"] input');
        });
        add.setAttribute('data-act', 'add-choice');
        container.appendChild(add);
    }

    function renderKey(question, qIndex, container) {
        if (hasChoices[question.type]) {
            renderChoices(question, qIndex, container);
        } else if (question.type === 'truefalse') {
            var tf = select([{value: 'true', label: T['true']}, {value: 'false', label: T['false']}],
                question.answer === false ? 'false' : 'true');
            if (typeof question.answer !== 'boolean') {
                question.answer = true;
            }
            container.appendChild(field(T.truefalse_answer, tf, function (v) { question.answer = v === 'true'; }, 'change'));
        } else if (question.type === 'numeric') {
            container.appendChild(field(T.answer_number, textInput(question.answer, true), function (v) { question.answer = v; }));
            container.appendChild(field(T.tolerance, textInput(question.tolerance, true), function (v) { question.tolerance = v; }));
        } else if (question.type === 'text') {
            container.appendChild(field(T.accepted, textArea((question.accepted || []).join('\n'), true), function (v) {
                question.accepted = v.split('\n');
            }));
        }
    }

    function changeType(question, type) {
        question.type = type;
        if (hasChoices[type]) {
            while (question.choices.length < 2) {
                question.choices.push(blankChoice(question));
            }
            if (type === 'single') {
                var seen = false;
                question.choices.forEach(function (c) {
                    c.correct = c.correct && !seen;
                    seen = seen || c.correct;
                });
            }
        }
        question.answer = type === 'truefalse' ? true : (type === 'numeric' ? '' : null);
    }

    function renderQuestion(question, qIndex) {
        var li = S.el('li', {'data-q': String(qIndex)});
        var fs = S.el('fieldset');
        fs.appendChild(S.el('legend', {}, S.format(T.question, {number: qIndex + 1})));
        /* The question's own tools, under its heading (at the bottom they read as the explanation's). */
        var actions = S.el('div', {className: 'sse-row sse-item-actions'});
        var sel = function (i) { return '[data-q="' + i + '"] [data-act="q-up"]'; };
        var other = function (i) { return '[data-q="' + i + '"] [data-act="q-down"]'; };
        var which = {question: qIndex + 1};
        var up = button(T.move_up, function () { move(questions, qIndex, -1, sel, other); }, qIndex === 0,
            S.format(T.move_question_up, which));
        up.setAttribute('data-act', 'q-up');
        actions.appendChild(up);
        var down = button(T.move_down, function () { move(questions, qIndex, 1, other, sel); },
            qIndex === questions.length - 1, S.format(T.move_question_down, which));
        down.setAttribute('data-act', 'q-down');
        actions.appendChild(down);
        actions.appendChild(button(T['delete'], function () {
            remove(questions, qIndex, S.format(T.question_deleted, which), S.format(T.undo_question, which), null);
        }, false, S.format(T.delete_question, which)));
        fs.appendChild(actions);
        fs.appendChild(field(T.id, textInput(question.id), function (v) { question.id = v; }));
        fs.appendChild(field(T.type, select(registry.types, question.type), function (v) {
            changeType(question, v);
            render('[data-q="' + qIndex + '"] select');
        }, 'change'));
        fs.appendChild(field(T.points, textInput(question.points, true), function (v) { question.points = v; }));
        var dims = [{value: '', label: T.quiz_dimension}].concat(init.dimensions.map(function (d) {
            return {value: d.value, label: d.display_name};
        }));
        fs.appendChild(field(T.dimension, select(dims, question.dimension || ''), function (v) {
            question.dimension = v || null;
        }, 'change'));
        var poolOptions = [{value: '', label: T.no_pool}].concat(pools.map(function (p) {
            return {value: p.id, label: S.format(T.pool_named, {pool: p.id})};
        }));
        var poolSelect = select(poolOptions, question.pool || '');
        poolSelect.setAttribute('data-act', 'pool');
        fs.appendChild(field(T.pool, poolSelect, function (v) {
            question.pool = v || null;
            render('[data-q="' + qIndex + '"] [data-act="pool"]');  /* the pools' question counts follow */
        }, 'change'));
        fs.appendChild(field(T.prompt, textArea(question.prompt), function (v) { question.prompt = v; }));
        renderKey(question, qIndex, fs);
        fs.appendChild(field(T.explanation, textArea(question.explanation, true), function (v) { question.explanation = v; }));
        li.appendChild(fs);
        return li;
    }

    function renderPool(pool, pIndex) {
        var li = S.el('li', {'data-p': String(pIndex)});
        var fs = S.el('fieldset');
        fs.appendChild(S.el('legend', {}, S.format(T.pool_number, {number: pIndex + 1})));
        var id = textInput(pool.id);
        id.setAttribute('data-act', 'pool-id');
        /* Renaming a pool keeps its questions in it; the questions' pool menus follow when focus leaves. */
        fs.appendChild(field(T.pool_id, id, function (v) {
            questions.forEach(function (q) { if (q.pool === pool.id) { q.pool = v; } });
            pool.id = v;
        }));
        id.addEventListener('change', function () { renderQuestions(); });
        var draw = textInput(pool.draw, true);
        draw.setAttribute('data-act', 'pool-draw');
        fs.appendChild(field(T.pool_draw, draw, function (v) { pool.draw = v; }));
        var balanced = S.el('input', {type: 'checkbox'});
        balanced.checked = !!pool.balanced;
        balanced.setAttribute('data-act', 'pool-balanced');
        fs.appendChild(field(T.pool_balanced, balanced, function (v) { pool.balanced = v; }, 'change'));
        var members = questions.filter(function (q) { return q.pool === pool.id; }).length;
        fs.appendChild(S.el('p', {className: 'sse-muted'}, S.format(T.pool_size, {count: members})));
        var actions = S.el('div', {className: 'sse-row'});
        actions.appendChild(button(T['delete'], function () {
            questions.forEach(function (q) { if (q.pool === pool.id) { q.pool = null; } });
            pools.splice(pIndex, 1);
            render('[data-role="add-pool"]');
        }, false, S.format(T.delete_pool, {number: pIndex + 1})));
        fs.appendChild(actions);
        li.appendChild(fs);
        return li;
    }

    function renderQuestions() {
        while (list.firstChild) {
            list.removeChild(list.firstChild);
        }
        var undo = undoLine('li', null);
        if (!questions.length && !undo) {
            list.appendChild(S.el('li', {}, T.no_questions));
        }
        questions.forEach(function (q, i) {
            if (undo && i === removed.index) {
                list.appendChild(undo);
            }
            list.appendChild(renderQuestion(q, i));
        });
        if (undo && removed.index >= questions.length) {
            list.appendChild(undo);
        }
    }

    /* Rebuild the lists from the state; then put the focus where the user acted. */
    function render(focusSelector, fallbackSelector) {
        while (poolList.firstChild) {
            poolList.removeChild(poolList.firstChild);
        }
        pools.forEach(function (p, i) { poolList.appendChild(renderPool(p, i)); });
        renderQuestions();
        [focusSelector, fallbackSelector].some(function (selector) {
            var target = selector ? root.querySelector(selector) : null;
            if (target && !target.disabled) {
                target.focus();
                return true;
            }
            return false;
        });
    }

    function settingsPayload() {
        var payload = {};
        root.querySelectorAll('[data-setting]').forEach(function (input) {
            var name = input.getAttribute('data-setting');
            if (input.type === 'radio') {  /* a choice of long options: radios, which wrap where a select is cut */
                if (input.checked) { payload[name] = input.value; }
                return;
            }
            payload[name] = input.type === 'checkbox' ? input.checked : input.value;
        });
        ['weight', 'max_attempts'].forEach(function (name) {
            if (payload[name] === '') {
                payload[name] = null;  /* empty: no weight of its own; the course's maximum attempts */
            }
        });
        return payload;
    }

    /* A field the server named: a setting, or a whole question ("question-2"). */
    function locate(key) {
        var match = /^question-(\d+)$/.exec(key);
        if (match) {
            return list.querySelector('[data-q="' + (Number(match[1]) - 1) + '"] > fieldset');
        }
        if (key === 'pools') {
            return poolList.querySelector('fieldset') || root.querySelector('[data-role="add-pool"]');
        }
        var setting = root.querySelector('[data-setting="' + key + '"]');
        return setting && setting.type === 'radio' ? setting.closest('fieldset') : setting;
    }

    function showErrors(messages, heading, fields) {
        var errors = messages.map(function (message, i) {
            return {message: message, field: (fields || [])[i] || ''};
        });
        if (!errors.length) {
            E.clear(form, errorsBox);
            return;
        }
        E.show(form, errorsBox, heading, errors, locate);
    }

    root.querySelector('[data-role="add-question"]').addEventListener('click', function () {
        removed = null;
        questions.push(blankQuestion());
        render('[data-q="' + (questions.length - 1) + '"] input');
    });

    root.querySelector('[data-role="add-pool"]').addEventListener('click', function () {
        pools.push({id: nextId('pool', pools.map(function (p) { return p.id; })), draw: 1, balanced: false});
        render('[data-p="' + (pools.length - 1) + '"] input');
    });

    root.querySelector('[data-role="cancel"]').addEventListener('click', function () {
        notify('cancel', {});
    });

    /* The author's choices for numbers with two readings, kept while one save asks about them. */
    var meant = {};

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        meant = {};
        save();
    });

    function save() {
        var payload = settingsPayload();
        payload.questions = questions;
        payload.pools = pools;
        payload.meant = meant;
        var status = root.querySelector('[data-role="status"]');
        status.textContent = '';
        notify('save', {state: 'start', message: T.saving});
        S.postJSON(runtime.handlerUrl(element, 'studio_submit'), payload).then(function (reply) {
            if (reply.ok) {
                var warnings = reply.data.warnings || [];
                E.warn(form, errorsBox, T.warnings, warnings);
                if (!warnings.length) {
                    S.announce(status, T.saved);
                }
                notify('save', {state: 'end'});
                return;
            }
            var errors = reply.data.errors || [reply.data.error || T.save_failed];
            showErrors(errors, reply.data.errors ? T.fix_errors : (reply.data.error || T.save_failed), reply.data.fields);
            E.askNumbers(errorsBox, reply.data.ambiguous, T.meant_number, function (typed, value) {
                meant[typed] = value;
                save();
            });
            notify('error', {title: T.save_failed, message: errors.join('\n')});
        });
    }

    E.echoNumbers(form, runtime.handlerUrl(element, 'studio_read_number'));
    render(null);
}
