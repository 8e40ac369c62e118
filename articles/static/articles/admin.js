/* The editorial admin's small behaviours: autocomplete filters that navigate, drag ordering of bylines, and names
   for the controls screen readers would otherwise announce without one (select2's boxes, the search box). */
"use strict";
(function () {
    function onReady(fn) {
        if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
    }

    // An autocomplete filter box changes the list as soon as a row is chosen (select2 fires jQuery events only).
    function bindAutocompleteFilters() {
        const $ = window.django && window.django.jQuery;
        if (!$) { return; }
        $("select[data-filter-param]").on("change", function () {
            const base = this.dataset.filterBase || "?";
            const joiner = base === "?" ? "" : "&";
            window.location.search = this.value
                ? base + joiner + encodeURIComponent(this.dataset.filterParam) + "=" + encodeURIComponent(this.value)
                : base;
        });
    }

    // Bylines: the order of the rows is the order of the byline; positions are rewritten to 0, 1, 2 ...
    function positionInputs(table) {
        return Array.from(table.querySelectorAll("tbody tr.form-row:not(.empty-form)"))
            .map((row) => row.querySelector('input[name$="-position"]'))
            .filter(Boolean);
    }

    function renumber(table) {
        positionInputs(table).forEach((input, index) => { input.value = index; });
    }

    function makeDraggable(table) {
        let dragged = null;
        table.querySelectorAll("tbody tr.form-row:not(.empty-form)").forEach((row) => {
            if (row.dataset.draggable) { return; }
            row.dataset.draggable = "yes";
            row.draggable = true;
            row.classList.add("byline-row");
            row.addEventListener("dragstart", (event) => {
                dragged = row;
                row.classList.add("dragging");
                event.dataTransfer.effectAllowed = "move";
            });
            row.addEventListener("dragend", () => { row.classList.remove("dragging"); dragged = null; renumber(table); });
            row.addEventListener("dragover", (event) => {
                if (!dragged || dragged === row) { return; }
                event.preventDefault();
                const box = row.getBoundingClientRect();
                const after = event.clientY > box.top + box.height / 2;
                row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
            });
        });
    }

    function bindBylines() {
        document.querySelectorAll(".bylines-inline table").forEach((table) => {
            makeDraggable(table);
            document.addEventListener("formset:added", () => { makeDraggable(table); renumber(table); });
        });
    }

    // select2 draws its own combobox beside each autocomplete <select>, named only by the value chosen (nothing
    // when empty), and a search input with no label at all in multiple choices: both are named after the field's
    // label, or "Filter by <title>" in the list's sidebar.
    let named = 0;
    function labelFor(select) {
        let label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
        if (!label) {
            const filter = select.closest("details[data-filter-title]");
            label = document.createElement("span");
            label.className = "visually-hidden";
            label.textContent = filter ? "Filter by " + filter.dataset.filterTitle : select.name;
            select.parentNode.insertBefore(label, select);
        }
        if (!label.id) { label.id = "desk-label-" + (++named); }
        return label;
    }

    function nameSelect2Boxes() {
        document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains("select2")) { return; }
            const label = select.deskLabel || (select.deskLabel = labelFor(select));
            const box = container.querySelector(".select2-selection");
            if (box && !(box.getAttribute("aria-labelledby") || "").includes(label.id)) {
                const own = box.getAttribute("aria-labelledby");
                box.setAttribute("aria-labelledby", own ? label.id + " " + own : label.id);
            }
            // The chosen value's own box (a read-only textbox): the label, then the value.
            container.querySelectorAll(".select2-selection__rendered[role=textbox][id]").forEach((rendered) => {
                if (!(rendered.getAttribute("aria-labelledby") || "").includes(label.id)) {
                    rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
                }
            });
            container.querySelectorAll(".select2-search__field:not([aria-label])").forEach((input) => {
                input.setAttribute("aria-label", label.textContent.trim());
            });
        });
    }

    function nameSearchBox() {
        const search = document.getElementById("searchbar");
        const heading = document.getElementById("changelist-search-form");
        if (search && heading && !search.hasAttribute("aria-label")) {
            search.setAttribute("aria-label", heading.textContent.trim());
        }
    }

    function watchSelect2() {
        let pending = false;
        nameSelect2Boxes();
        new MutationObserver(() => {
            if (pending) { return; }
            pending = true;
            window.requestAnimationFrame(() => { pending = false; nameSelect2Boxes(); });
        }).observe(document.body, { childList: true, subtree: true });
    }

    onReady(() => { bindAutocompleteFilters(); bindBylines(); nameSearchBox(); watchSelect2(); });
})();
