// Cassis: progressive enhancements only; every page works without script.
"use strict";

// Ask before destructive actions: <form data-confirm="Message">.
document.addEventListener("submit", function (event) {
	const form = event.target;
	const message = form.getAttribute && form.getAttribute("data-confirm");
	if (message && !window.confirm(message)) {
		event.preventDefault();
	}
});

// Put the focus on the error summary or the first invalid field, so that a
// screen reader announces what is wrong.
document.addEventListener("DOMContentLoaded", function () {
	const target = document.querySelector(".error-summary") ||
		document.querySelector("[aria-invalid='true']");
	if (target) {
		if (!target.hasAttribute("tabindex") && target.classList.contains("error-summary")) {
			target.setAttribute("tabindex", "-1");
		}
		target.focus();
	}
});
