/* sse_module: redraws the learner's Decent Work profile when a child is graded; the staff cohort table. */
/* The init data is read from the module's own root element rather than from the third argument: the
   XBlock SDK workbench concatenates the init data of nested blocks into that argument. */
function SSEModuleBlock(runtime, element) {
    'use strict';
    var A = window.SSEAcademy;
    var SVG_NS = 'http://www.w3.org/2000/svg';
    var root = element.classList && element.classList.contains('sse-module') ? element :
        element.querySelector('.sse-module');
    if (!root) {
        return {};
    }
    var init = JSON.parse(root.getAttribute('data-sse-init') || '{}');
    var texts = init.texts || {};
    var uid = init.uid;

    /* Parts of the module itself, never of a child block rendered inside it. */
    function own(selector) {
        return root.querySelector(':scope > ' + selector);
    }

    function svg(tag, attrs, text) {
        var node = document.createElementNS(SVG_NS, tag);
        Object.keys(attrs || {}).forEach(function (key) {
            node.setAttribute(key, attrs[key]);
        });
        if (text !== undefined && text !== null) {
            node.textContent = String(text);
        }
        return node;
    }

    function valueText(row) {
        return row.counts ? row.summary : texts.no_points;
    }

    function drawChart(chart) {
        var box = svg('svg', {
            'class': 'sse-module-bars', width: '100%', height: String(chart.height), role: 'img',
            'aria-labelledby': uid + '-chart-title ' + uid + '-chart-desc'
        });
        box.appendChild(svg('title', {id: uid + '-chart-title'}, texts.chart_title));
        box.appendChild(svg('desc', {id: uid + '-chart-desc'}, chart.rows.map(function (row) {
            return row.label + ': ' + valueText(row) + '.';
        }).join(' ')));
        chart.rows.forEach(function (row) {
            var group = svg('g', {
                'class': 'sse-module-bar' + (row.counts ? '' : ' sse-module-bar-empty'), 'data-dimension': row.id
            });
            group.appendChild(svg('text', {'class': 'sse-module-bar-label', x: '0', y: String(row.text_y)}, row.label));
            group.appendChild(svg('text', {
                'class': 'sse-module-bar-value', x: '100%', y: String(row.text_y), 'text-anchor': 'end'
            }, valueText(row)));
            group.appendChild(svg('rect', {
                'class': 'sse-module-bar-track', x: '0', y: String(row.bar_y), width: '100%',
                height: String(chart.bar_height)
            }));
            group.appendChild(svg('rect', {
                'class': 'sse-module-bar-fill', x: '0', y: String(row.bar_y), width: row.bar_width + '%',
                height: String(chart.bar_height)
            }));
            box.appendChild(group);
        });
        return box;
    }

    function tableRow(cells) {
        var tr = document.createElement('tr');
        cells.forEach(function (cell, index) {
            tr.appendChild(A.el(index === 0 ? 'th' : 'td', index === 0 ? {scope: 'row'} : null, cell));
        });
        return tr;
    }

    function drawProfile(profile, chart) {
        var section = own('.sse-module-profile');
        if (!section) {
            return;
        }
        var total = section.querySelector('.sse-module-total-text');
        if (total) {
            total.textContent = profile.summary;
        }
        var holder = section.querySelector('.sse-module-chart');
        if (holder) {
            holder.replaceChildren(drawChart(chart));
        }
        var body = section.querySelector('.sse-module-table tbody');
        if (body) {
            body.replaceChildren.apply(body, profile.dimensions.map(function (row) {
                var share = row.counts ? row.percent + '%' : texts.no_points;
                var tr = tableRow([row.label, row.earned_text, row.possible_text, share]);
                tr.setAttribute('data-dimension', row.id);
                return tr;
            }));
        }
        var foot = section.querySelector('.sse-module-table tfoot');
        if (foot) {
            foot.replaceChildren(tableRow([texts.overall, profile.earned_text, profile.possible_text,
                profile.percent + '%']));
        }
    }

    var busy = false;
    var again = false;

    function refreshProfile() {
        var live = own('.sse-module-profile') && own('.sse-module-profile').querySelector('.sse-module-live');
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        A.postJSON(runtime.handlerUrl(element, 'profile'), {}).then(function (reply) {
            busy = false;
            if (reply.ok && reply.data.profile) {
                drawProfile(reply.data.profile, reply.data.chart);
                root.setAttribute('data-profile-earned', String(reply.data.profile.earned));
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

    element.addEventListener('sse:scored', function () {
        refreshProfile();
        if (init.staff) {
            loadStaffPage(staffPage);
        }
    });

    /* Staff: the cohort table, one page at a time. */
    var staffPage = 1;

    function drawStaff(data) {
        var staff = own('.sse-module-staff');
        var holder = staff.querySelector('.sse-module-staff-table');
        if (!data.rows.length) {
            holder.replaceChildren(A.el('p', {'class': 'sse-muted'}, texts.staff_empty));
        } else {
            var table = A.el('table', {'class': 'sse-module-staff-list'});
            table.appendChild(A.el('caption', {'class': 'sse-visually-hidden'}, texts.staff_caption));
            var head = document.createElement('tr');
            head.appendChild(A.el('th', {scope: 'col'}, texts.learner));
            init.dimensions.forEach(function (dim, index) {
                head.appendChild(A.el('th', {scope: 'col'}, A.format(texts.staff_column, {
                    dimension: dim.label, possible: data.possible[index].possible_text
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
        staffPage = data.page;
        var pageText = staff.querySelector('.sse-module-page');
        var prev = staff.querySelector('.sse-module-prev');
        var next = staff.querySelector('.sse-module-next');
        var focused = document.activeElement;
        pageText.textContent = data.page_text;
        prev.disabled = data.page <= 1;
        next.disabled = data.page >= data.pages;
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

    function loadStaffPage(number) {
        var staff = own('.sse-module-staff');
        if (!staff) {
            return;
        }
        A.postJSON(runtime.handlerUrl(element, 'staff_learners'), {page: number}).then(function (reply) {
            if (reply.ok) {
                drawStaff(reply.data);
            } else {
                A.announce(staff.querySelector('.sse-module-staff-live'),
                    (reply.data && reply.data.error) || texts.staff_failed);
            }
        });
    }

    if (init.staff) {
        var staffSection = own('.sse-module-staff');
        staffSection.querySelector('.sse-module-prev').addEventListener('click', function () {
            loadStaffPage(staffPage - 1);
        });
        staffSection.querySelector('.sse-module-next').addEventListener('click', function () {
            loadStaffPage(staffPage + 1);
        });
        loadStaffPage(1);
    }

    return {refreshProfile: refreshProfile};
}
