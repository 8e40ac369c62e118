/* The editorial admin's small behaviours: autocomplete filters that navigate, and drag ordering of bylines. */
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

    onReady(() => { bindAutocompleteFilters(); bindBylines(); });
})();
