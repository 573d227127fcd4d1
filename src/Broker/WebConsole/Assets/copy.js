// Copy buttons: a <button data-copy="ID"> copies the text of the element with id ID. The buttons start hidden and are shown
// only where the clipboard can be written (a secure context: https, or http on localhost); the text stays selectable anyway.
"use strict";
(() => {
    if (!navigator.clipboard || !window.isSecureContext) {
        return;
    }

    for (const button of document.querySelectorAll("button[data-copy]")) {
        const source = document.getElementById(button.dataset.copy);
        if (!source) {
            continue;
        }

        const label = button.textContent;
        button.hidden = false;
        button.addEventListener("click", async () => {
            try {
                await navigator.clipboard.writeText(source.textContent);
                button.textContent = "Copied";
            } catch {
                button.textContent = "Copy failed: select the text instead";
            }

            setTimeout(() => { button.textContent = label; }, 2000);
        });
    }
})();
