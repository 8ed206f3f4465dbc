/* Helpers shared by the SSE Academy blocks. Defined once per page, whatever the number of blocks. */
(function (global) {
    'use strict';
    if (global.SSEAcademy) {
        return;
    }

    function getCookie(name) {
        var parts = document.cookie ? document.cookie.split(';') : [];
        for (var i = 0; i < parts.length; i++) {
            var pair = parts[i].trim();
            if (pair.substring(0, name.length + 1) === name + '=') {
                return decodeURIComponent(pair.substring(name.length + 1));
            }
        }
        return null;
    }

    /* POST a JSON object to a handler URL; resolves with {ok, status, data}. Never rejects on HTTP errors. */
    function postJSON(url, payload) {
        var headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
        var token = getCookie('csrftoken');
        if (token) {
            headers['X-CSRFToken'] = token;
        }
        return fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: headers,
            body: JSON.stringify(payload || {})
        }).then(function (response) {
            return response.text().then(function (text) {
                var data = null;
                try {
                    data = text ? JSON.parse(text) : {};
                } catch (e) {
                    data = {error: null};
                }
                return {ok: response.ok, status: response.status, data: data || {}};
            });
        }, function () {
            return {ok: false, status: 0, data: {error: null}};
        });
    }

    /* Create an element with text content only (never innerHTML from data). */
    function el(tag, attrs, text) {
        var node = document.createElement(tag);
        if (attrs) {
            Object.keys(attrs).forEach(function (key) {
                if (key === 'className') {
                    node.className = attrs[key];
                } else {
                    node.setAttribute(key, attrs[key]);
                }
            });
        }
        if (text !== undefined && text !== null) {
            node.textContent = String(text);
        }
        return node;
    }

    /* Put a message into a block's aria-live region (re-set so screen readers announce repeats). */
    function announce(region, message) {
        if (!region) {
            return;
        }
        region.textContent = '';
        window.setTimeout(function () {
            region.textContent = message;
        }, 30);
    }

    function format(template, values) {
        return String(template).replace(/%\((\w+)\)s/g, function (match, key) {
            return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
        });
    }

    /* The DOM node of the element a runtime hands a block's JS: the LMS and the workbench give the node, Studio's
       editors and a content library's iframe a jQuery wrapper (the iframe stores the block's handler address on
       that wrapper, so handler addresses are asked for with the element as given, and the DOM with this node). */
    function domElement(element) {
        return element && element.jquery ? element[0] : element;
    }

    /* The block's init data: the escaped JSON the server put in the fragment (a direct child of the
       block's element, so a parent never reads a nested child's data), else what the runtime passed. */
    function initArgs(element, given) {
        var node = domElement(element);
        var children = node ? node.children : [];
        for (var i = 0; i < children.length; i++) {
            var node = children[i];
            if (node.tagName === 'SCRIPT' && node.classList.contains('sse-init')) {
                return JSON.parse(node.textContent || '{}');
            }
        }
        return given || {};
    }

    /* The page's language (the LMS sets it on <html>), for plural rules and dates. */
    function pageLanguage(node) {
        var holder = node && node.closest ? node.closest('[lang]') : null;
        var lang = (document.documentElement.getAttribute('lang') || (holder && holder.getAttribute('lang')) ||
            navigator.language || 'en');
        return lang.replace('_', '-');
    }

    /* Numbers as the server's formatter writes them (sse_academy_xblock/l10n.py): CLDR's rules for the page's
       language, through Intl: thousands grouped ("1 200", Spanish "1200" but "12.000"), at most ``places``
       decimals (2 by default), the language's decimal separator. */
    function number(value, places) {
        try {
            return new Intl.NumberFormat(pageLanguage(), {
                maximumFractionDigits: places === undefined ? 2 : places
            }).format(value);
        } catch (e) {
            return String(value);
        }
    }

    /* ``value`` per cent (60 for 60 %), spaced as the language spaces it ("60%", French and Spanish "60 %"). */
    function percent(value) {
        try {
            return new Intl.NumberFormat(pageLanguage(), {style: 'percent', maximumFractionDigits: 2})
                .format(value / 100);
        } catch (e) {
            return String(value) + '%';
        }
    }

    /* Values joined with the language's conjunction ("3 and 5", "3 et 5", "3, 5 y 7"): numbers are written
       with ``number``. */
    function list(values) {
        var texts = values.map(function (v) { return typeof v === 'number' ? number(v) : String(v); });
        try {
            return new Intl.ListFormat(pageLanguage(), {style: 'long', type: 'conjunction'}).format(texts);
        } catch (e) {
            return texts.join(', ');
        }
    }

    /* ngettext's choice made in the browser: ``forms`` is {one, other}, as the server translated them
       with ngettext for 1 and for 2; the language's plural rule picks one for ``count`` (French takes the
       singular for 0), and the count is written with ``number`` ("1 200 mots"). */
    function plural(forms, count) {
        var rule = 'other';
        try {
            rule = new Intl.PluralRules(pageLanguage()).select(count);
        } catch (e) {
            rule = count === 1 ? 'one' : 'other';
        }
        return format(rule === 'one' ? forms.one : forms.other, {count: number(count)});
    }

    /* The server writes moments in UTC ("2026-12-06 02:47 UTC"); the learner reads them in their own
       time zone and language ("6 décembre 2026 à 03:47 UTC+1"). */
    var UTC_STAMP = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) UTC/g;

    function localTime(date) {
        try {
            return new Intl.DateTimeFormat(pageLanguage(), {
                year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
                timeZoneName: 'short'
            }).format(date);
        } catch (e) {
            return date.toString();
        }
    }

    /* An ISO 8601 moment from the server ("2026-12-06T21:01:00+00:00") in the reader's time zone and
       language, the zone named, as every block shows a moment. */
    function moment(iso) {
        if (!iso) {
            return '';
        }
        var date = new Date(iso);
        return isNaN(date.getTime()) ? String(iso) : localTime(date);
    }

    function localizeText(text) {
        return String(text).replace(UTC_STAMP, function (match, y, mo, d, h, mi) {
            return localTime(new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi)));
        });
    }

    function localizeNode(node) {
        var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        var texts = [];
        while (walker.nextNode()) {
            UTC_STAMP.lastIndex = 0;
            if (UTC_STAMP.test(walker.currentNode.nodeValue)) {
                texts.push(walker.currentNode);
            }
        }
        texts.forEach(function (text) {
            text.nodeValue = localizeText(text.nodeValue);
        });
    }

    /* Every moment inside a block's element, now and whenever its scripts re-render a part. */
    function localTimes(root) {
        if (!root) {
            return;
        }
        localizeNode(root);
        if (window.MutationObserver) {
            new MutationObserver(function (mutations) {
                mutations.forEach(function (m) {
                    if (m.type === 'characterData') {
                        UTC_STAMP.lastIndex = 0;
                        if (UTC_STAMP.test(m.target.nodeValue)) {
                            m.target.nodeValue = localizeText(m.target.nodeValue);
                        }
                    } else {
                        m.addedNodes.forEach(function (added) {
                            if (added.nodeType === 3) {
                                UTC_STAMP.lastIndex = 0;
                                if (UTC_STAMP.test(added.nodeValue)) {
                                    added.nodeValue = localizeText(added.nodeValue);
                                }
                            } else if (added.nodeType === 1) {
                                localizeNode(added);
                            }
                        });
                    }
                });
            }).observe(root, {childList: true, subtree: true, characterData: true});
        }
    }

    /* Keyset paging of a staff table, the one pager of every block: Previous asks the server for the
       page before the first row on screen, Next for the page after the last one; the page number is
       only counted here, for the label (page 1 whenever the server says there is nothing before).
       ``opts`` (elements found by the caller inside its own block's element):
         prev, next   the buttons (real <button>s, so keyboard users reach them; a caller that redraws its
                      table puts the same two buttons back in its new markup);
         label        the element that says "Page 2" (text only), ``text`` its template ("Page %(page)s");
         fetch(request, page)  asks the server for ``request`` ({} for the first page, {after: last} or
                      {before: first}); resolves with postJSON's {ok, data}, ``data`` holding has_prev,
                      has_next, first and last (or ``paging(data)`` does, when the reply holds more);
         draw(data, page)      shows the page's rows;
         failed(reply)         optional: says that a page could not be loaded;
         loading      optional: the label's text while a page loads (both buttons disabled meanwhile);
         live         optional: an aria-live region that announces the new page after a turn;
         last         optional: the cursor of the page the server rendered with the block.
       A pager button that had the keyboard focus keeps it, or hands it to the other button when it
       becomes disabled (to the label when both are), so the focus never drops to the top of the page. */
    function pager(opts) {
        var state = {page: 1, first: null, last: opts.last || null, request: {}};

        function pageText(page) {
            return format(opts.text, {page: page});
        }

        function keepFocus(had) {
            if (had !== opts.prev && had !== opts.next) {
                return;
            }
            var target = had.disabled ? (had === opts.prev ? opts.next : opts.prev) : had;
            if (target.disabled) {
                opts.label.setAttribute('tabindex', '-1');
                target = opts.label;
            }
            if (document.activeElement !== target) {
                target.focus();
            }
        }

        function go(request, page, turned) {
            var pressed = turned && document.activeElement === turned ? turned : null;
            var before = {prev: opts.prev.disabled, next: opts.next.disabled};
            if (opts.loading) {
                opts.prev.disabled = true;
                opts.next.disabled = true;
                opts.label.textContent = opts.loading;
            }
            return opts.fetch(request, page).then(function (reply) {
                if (!reply.ok) {
                    if (opts.loading) {
                        opts.prev.disabled = before.prev;
                        opts.next.disabled = before.next;
                        opts.label.textContent = pageText(state.page);
                    }
                    if (opts.failed) {
                        opts.failed(reply);
                    }
                    return reply;
                }
                var data = reply.data;
                var keys = opts.paging ? opts.paging(data) : data;
                var active = document.activeElement;
                var had = active === opts.prev || active === opts.next ? active :
                    (!active || active === document.body ? pressed : null);
                state.request = request;
                state.page = keys.has_prev ? Math.max(2, page) : 1;
                state.first = keys.first;
                state.last = keys.last;
                opts.draw(data, state.page);
                opts.prev.disabled = !keys.has_prev;
                opts.next.disabled = !keys.has_next;
                opts.label.textContent = pageText(state.page);
                keepFocus(had);
                if (turned && opts.live) {
                    announce(opts.live, pageText(state.page));
                }
                return reply;
            });
        }

        opts.prev.addEventListener('click', function () {
            go({before: state.first}, state.page - 1, opts.prev);
        });
        opts.next.addEventListener('click', function () {
            go({after: state.last}, state.page + 1, opts.next);
        });
        return {
            /* The first page. */
            first: function () { return go({}, 1, null); },
            /* The page on screen again (its rows may have changed). */
            reload: function () { return go(state.request, state.page, null); }
        };
    }

    /* Errors where the eye is: each problem ({field, message}) goes right under its field (``fields`` maps a
       field name to its input), which is marked (aria-invalid, aria-describedby); fields without a problem
       are unmarked. A problem without a field, or naming none of ``fields``, goes into ``general``.
       Returns the first faulty input (for the caller to move the focus there), or null. */
    function showFieldErrors(fields, problems, general) {
        var first = null;
        var generalText = [];
        Object.keys(fields).forEach(function (name) {
            var input = fields[name];
            var note = input.parentNode && input.parentNode.querySelector('[data-error-for="' + input.id + '"]');
            if (note) { note.parentNode.removeChild(note); }
            input.removeAttribute('aria-invalid');
            var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
                return id && id !== input.id + '-error';
            });
            if (described.length) { input.setAttribute('aria-describedby', described.join(' ')); } else { input.removeAttribute('aria-describedby'); }
        });
        (problems || []).forEach(function (problem) {
            var input = problem.field && Object.prototype.hasOwnProperty.call(fields, problem.field) ? fields[problem.field] : null;
            if (!input) {
                generalText.push(problem.message);
                return;
            }
            var note = el('p', {className: 'sse-error sse-field-error', id: input.id + '-error', 'data-error-for': input.id,
                'data-role': 'field-error'}, problem.message);
            input.parentNode.insertBefore(note, input.nextSibling);
            input.setAttribute('aria-invalid', 'true');
            var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
            described.push(note.id);
            input.setAttribute('aria-describedby', described.join(' '));
            first = first || input;
        });
        if (general) { general.textContent = generalText.join(' '); }
        return first;
    }

    /* Our own confirmation dialog (a modal <dialog> inside the block's element): a title, a sentence and two
       named buttons ("Withdraw response" / "Keep it"), never the browser's OK / Cancel. Escape keeps. The focus
       goes to the keeping button first, and back to ``opener`` afterwards. Resolves with true when confirmed. */
    function confirmDialog(host, opener, opts) {
        return new Promise(function (resolve) {
            var id = 'sse-dialog-' + Math.random().toString(36).slice(2, 10);
            var dialog = el('dialog', {className: 'sse-dialog', 'aria-labelledby': id + '-t', 'aria-describedby': id + '-d',
                'data-role': 'confirm-dialog'});
            var yes = el('button', {type: 'button', className: 'sse-danger', 'data-role': 'dialog-confirm'}, opts.confirm);
            var keep = el('button', {type: 'button', className: 'sse-secondary', 'data-role': 'dialog-keep'}, opts.keep);
            var row = el('p', {className: 'sse-row'});
            row.appendChild(yes);
            row.appendChild(keep);
            dialog.appendChild(el('h4', {id: id + '-t'}, opts.title));
            dialog.appendChild(el('p', {id: id + '-d'}, opts.text));
            dialog.appendChild(row);
            var answered = false;
            function done(value) {
                if (answered) { return; }
                answered = true;
                if (dialog.open) { dialog.close(); }
                if (dialog.parentNode) { dialog.parentNode.removeChild(dialog); }
                if (opener && opener.isConnected) { opener.focus(); }
                resolve(value);
            }
            yes.addEventListener('click', function () { done(true); });
            keep.addEventListener('click', function () { done(false); });
            dialog.addEventListener('cancel', function (event) { event.preventDefault(); done(false); });
            host.appendChild(dialog);
            if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute('open', 'open'); }
            keep.focus();
        });
    }

    global.SSEAcademy = {
        getCookie: getCookie, postJSON: postJSON, el: el, announce: announce, format: format, initArgs: initArgs, domElement: domElement,
        plural: plural, number: number, percent: percent, list: list, moment: moment, localTime: localTime, localTimes: localTimes,
        pageLanguage: pageLanguage, pager: pager, showFieldErrors: showFieldErrors, confirmDialog: confirmDialog
    };
}(window));
