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

    /* The block's init data: the escaped JSON the server put in the fragment (a direct child of the
       block's element, so a parent never reads a nested child's data), else what the runtime passed. */
    function initArgs(element, given) {
        var children = element ? element.children : [];
        for (var i = 0; i < children.length; i++) {
            var node = children[i];
            if (node.tagName === 'SCRIPT' && node.classList.contains('sse-init')) {
                return JSON.parse(node.textContent || '{}');
            }
        }
        return given || {};
    }

    global.SSEAcademy = {
        getCookie: getCookie, postJSON: postJSON, el: el, announce: announce, format: format, initArgs: initArgs
    };
}(window));
