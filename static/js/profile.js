/* sse_profile: redraws the learner's profile when a quiz or case study on the page is graded; the
   staff cohort table, one page at a time. Everything is scoped to the block's own element. */
function SSEProfileBlock(runtime, element, given) {
    'use strict';
    var A = window.SSEAcademy;
    var root = element.classList && element.classList.contains('sse-profile') ? element :
        element.querySelector('.sse-profile');
    if (!root) {
        return {};
    }
    var init = A.initArgs(element, given);
    var texts = init.texts || {};

    function tableRow(cells) {
        var tr = document.createElement('tr');
        cells.forEach(function (cell, index) {
            tr.appendChild(A.el(index === 0 ? 'th' : 'td', index === 0 ? {scope: 'row'} : null, cell));
        });
        return tr;
    }

    var busy = false;
    var again = false;

    function refreshProfile() {
        var live = root.querySelector('.sse-profile-live');
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        A.postJSON(runtime.handlerUrl(element, 'refresh'), {}).then(function (reply) {
            busy = false;
            if (reply.ok && typeof reply.data.html === 'string') {
                /* The server's template output (escaped there), not text pieced together here. */
                var body = root.querySelector('.sse-profile-body');
                var open = body.querySelector('details[open]') !== null;
                body.innerHTML = reply.data.html;
                if (open && body.querySelector('details')) {
                    body.querySelector('details').open = true;
                }
                A.announce(live, texts.updated);
            } else {
                A.announce(live, (reply.data && reply.data.error) || texts.failed);
            }
            if (again) {
                again = false;
                refreshProfile();
            }
        });
    }

    /* The staff cohort table, one page at a time (keyset paging: SSEAcademy.pager). */
    var staff = root.querySelector('.sse-profile-staff');
    var staffPager = null;

    function drawStaff(data) {
        var holder = staff.querySelector('.sse-profile-staff-table');
        if (!data.rows.length) {
            holder.replaceChildren(A.el('p', {'class': 'sse-muted'}, texts.staff_empty));
        } else {
            var table = A.el('table', {'class': 'sse-profile-staff-list'});
            table.appendChild(A.el('caption', {'class': 'sse-visually-hidden'}, texts.staff_caption));
            var head = document.createElement('tr');
            head.appendChild(A.el('th', {scope: 'col'}, texts.learner));
            var labels = staff.querySelectorAll('.sse-profile-histogram thead th[data-dimension]');
            data.possible.forEach(function (dim, index) {
                head.appendChild(A.el('th', {scope: 'col'}, A.format(texts.staff_column, {
                    dimension: labels[index] ? labels[index].textContent : dim.id, possible: dim.possible_text
                })));
            });
            head.appendChild(A.el('th', {scope: 'col'}, A.format(texts.staff_column, {
                dimension: texts.overall, possible: data.possible_text
            })));
            var thead = document.createElement('thead');
            thead.appendChild(head);
            table.appendChild(thead);
            var tbody = document.createElement('tbody');
            data.rows.forEach(function (row) {
                var cells = [row.anonymous_user_id];
                row.dimensions.forEach(function (dim) {
                    cells.push(dim.earned_text);
                });
                cells.push(row.overall_text);
                tbody.appendChild(tableRow(cells));
            });
            table.appendChild(tbody);
            holder.replaceChildren(table);
        }
        staff.querySelector('.sse-profile-cohort-size').textContent = data.learners_text;
    }

    if (init.staff && staff) {
        staffPager = A.pager({
            prev: staff.querySelector('.sse-profile-prev'),
            next: staff.querySelector('.sse-profile-next'),
            label: staff.querySelector('.sse-profile-page'),
            text: texts.staff_page,
            fetch: function (request) { return A.postJSON(runtime.handlerUrl(element, 'staff_learners'), request); },
            draw: drawStaff,
            failed: function (reply) {
                A.announce(staff.querySelector('.sse-profile-staff-live'),
                    (reply.data && reply.data.error) || texts.staff_failed);
            }
        });
        staffPager.first();
    }

    /* A table wider than its box says so: the hint before it shows while it scrolls sideways (a phone), on
       load, when the learner unfolds the table, after a redraw and when the window changes size. */
    function scrollHints() {
        root.querySelectorAll('.sse-profile-scroll').forEach(function (box) {
            var hint = box.previousElementSibling;
            if (hint && hint.getAttribute('data-role') === 'scroll-hint') {
                hint.hidden = !(box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1);
            }
        });
    }
    root.addEventListener('toggle', scrollHints, true);
    window.addEventListener('resize', scrollHints);
    if (window.MutationObserver) {
        new MutationObserver(scrollHints).observe(root, {childList: true, subtree: true});
    }
    scrollHints();
    A.localTimes(root);

    /* Quizzes and case studies are other blocks of the page (siblings in the unit): their
       'sse:scored' event bubbles up to the document. */
    document.addEventListener('sse:scored', function () {
        refreshProfile();
        if (staffPager) {
            staffPager.reload();
        }
    });

    return {refreshProfile: refreshProfile};
}
