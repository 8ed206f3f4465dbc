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

    /* Quizzes and case studies are other blocks of the page (siblings in the unit): their
       'sse:scored' event bubbles up to the document. */
    document.addEventListener('sse:scored', function () {
        refreshProfile();
        if (init.staff) {
            loadStaffPage(staffRequest, staffPage);
        }
    });

    /* Keyset paging: the table asks for the page after (or before) the learner id at the bottom
       (or top) of the page on screen; the page number is only counted here, for the label. */
    var staffPage = 1;
    var staffRequest = {};
    var staffCursors = {first: '', last: ''};
    var staff = root.querySelector('.sse-profile-staff');

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
        staffCursors = {first: data.first, last: data.last};
        var pageText = staff.querySelector('.sse-profile-page');
        var prev = staff.querySelector('.sse-profile-prev');
        var next = staff.querySelector('.sse-profile-next');
        var focused = document.activeElement;
        staff.querySelector('.sse-profile-cohort-size').textContent = data.learners_text;
        pageText.textContent = A.format(texts.staff_page, {page: staffPage});
        prev.disabled = !data.has_prev;
        next.disabled = !data.has_next;
        /* A focused button that becomes disabled would drop the focus to the top of the page. */
        if ((focused === prev || focused === next) && focused.disabled) {
            var other = focused === prev ? next : prev;
            if (!other.disabled) {
                other.focus();
            } else {
                pageText.setAttribute('tabindex', '-1');
                pageText.focus();
            }
        }
    }

    function loadStaffPage(request, number) {
        if (!staff) {
            return;
        }
        A.postJSON(runtime.handlerUrl(element, 'staff_learners'), request).then(function (reply) {
            if (reply.ok) {
                staffRequest = request;
                staffPage = reply.data.has_prev ? Math.max(2, number) : 1;
                drawStaff(reply.data);
            } else {
                A.announce(staff.querySelector('.sse-profile-staff-live'),
                    (reply.data && reply.data.error) || texts.staff_failed);
            }
        });
    }

    if (init.staff && staff) {
        staff.querySelector('.sse-profile-prev').addEventListener('click', function () {
            loadStaffPage({before: staffCursors.first}, staffPage - 1);
        });
        staff.querySelector('.sse-profile-next').addEventListener('click', function () {
            loadStaffPage({after: staffCursors.last}, staffPage + 1);
        });
        loadStaffPage({}, 1);
    }

    return {refreshProfile: refreshProfile};
}
