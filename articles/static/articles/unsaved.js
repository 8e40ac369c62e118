/* The article form asks before the page is left with changes not saved: a reload, a link, closing the tab.
   The form's fields are compared with what they held once the page had loaded (select2 and the byline rows
   included, as they write into the form's own inputs); saving, or any other submit of the form, never asks. */
"use strict";
(function () {
    function snapshot(form) {
        const fields = [];
        new FormData(form).forEach((value, name) => {
            if (name !== "csrfmiddlewaretoken") {
                fields.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
            }
        });
        return fields.join("&");
    }

    window.addEventListener("load", () => {
        const form = document.getElementById("article_form");
        if (!form) { return; }
        const loaded = snapshot(form);
        let submitting = false;
        form.addEventListener("submit", () => { submitting = true; });
        window.addEventListener("beforeunload", (event) => {
            if (submitting || snapshot(form) === loaded) { return; }
            event.preventDefault();
            event.returnValue = "";  // older browsers show their own message only when this is set
        });
        form.dataset.unsavedGuard = "on";  // for the tests: the guard is armed
    });
})();
