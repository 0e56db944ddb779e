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

// Print the page: <button type="button" data-print>.
document.addEventListener("click", function (event) {
	const button = event.target.closest && event.target.closest("[data-print]");
	if (button) {
		window.print();
	}
});

// Rule editor (templates/aid_types/version.html): live validation of the
// rule document, the "Tester" pane without reloading the page, and reading
// an import file into its text area. Without script, the same forms post
// and the server renders the same result.
(function () {
	"use strict";

	function csrfOf(form) {
		const input = form && form.querySelector("input[name='csrf']");
		return input ? input.value : "";
	}

	function post(url, data) {
		return fetch(url, {
			method: "POST",
			credentials: "same-origin",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams(data).toString(),
		}).then(function (res) {
			return res.json();
		});
	}

	function el(tag, text, className) {
		const node = document.createElement(tag);
		if (text !== undefined && text !== null) node.textContent = text;
		if (className) node.className = className;
		return node;
	}

	function setupValidation(area) {
		const status = document.getElementById("document-status");
		const form = area.form;
		let timer = null, seq = 0;
		function check() {
			const mine = ++seq;
			post(area.getAttribute("data-validate-url"), { csrf: csrfOf(form), document: area.value })
				.then(function (answer) {
					if (mine !== seq || !status) return;
					status.textContent = answer.ok ? answer.message : answer.problem.text;
					status.className = "rule-status " + (answer.ok ? "rule-ok" : "rule-error");
					status.setAttribute("data-ok", answer.ok ? "1" : "0");
					if (!answer.ok && answer.problem.kind === "json") status.setAttribute("data-line", String(answer.problem.line));
				})
				.catch(function () {
					if (mine === seq && status) status.textContent = "Vérification impossible pour l'instant.";
				});
		}
		area.addEventListener("input", function () {
			if (timer) clearTimeout(timer);
			timer = setTimeout(check, 400);
		});
		check();
	}

	function renderTable(caption, heads, rows) {
		const table = el("table", null, "rule-table");
		table.appendChild(el("caption", caption));
		const head = el("tr");
		heads.forEach(function (h) {
			const th = el("th", h);
			th.setAttribute("scope", "col");
			head.appendChild(th);
		});
		const thead = el("thead");
		thead.appendChild(head);
		table.appendChild(thead);
		const body = el("tbody");
		rows.forEach(function (cells) {
			const tr = el("tr");
			cells.forEach(function (c, i) {
				const cell = el(i === 0 ? "th" : "td", c);
				if (i === 0) cell.setAttribute("scope", "row");
				tr.appendChild(cell);
			});
			body.appendChild(tr);
		});
		table.appendChild(body);
		return table;
	}

	function renderResult(box, test) {
		const v = test.view;
		box.textContent = "";
		box.appendChild(el("h3", "Résultat du test")).id = "tester-result-title";
		const div = el("div", null, "rule-result " + v.issue_class);
		div.setAttribute("data-issue", v.issue);
		const p = el("p", null, "rule-issue");
		p.appendChild(el("strong", v.issue_label, "rule-issue-label"));
		if (v.has_montant) {
			p.appendChild(document.createTextNode(" – montant : "));
			p.appendChild(el("strong", v.montant_fr, "rule-amount"));
		}
		div.appendChild(p);
		if (v.erreur) div.appendChild(el("p", v.erreur, "notice"));
		if (v.has_manquants) {
			div.appendChild(el("p", "Données manquantes pour décider :"));
			const ul = el("ul", null, "rule-missing");
			v.manquants.forEach(function (m) { ul.appendChild(el("li", m.name + " – " + m.label)); });
			div.appendChild(ul);
		}
		if (v.has_texte) {
			const ul = el("ul", null, "rule-explanation");
			v.texte.forEach(function (t) { ul.appendChild(el("li", t)); });
			div.appendChild(ul);
		}
		if (v.has_conditions)
			div.appendChild(renderTable("Conditions d'attribution et valeurs retenues",
				["Condition", "Expression", "Valeurs", "Résultat"],
				v.conditions.map(function (c) { return [c.libelle, c.expression, c.valeurs, c.resultat_label]; })));
		if (v.has_calculs)
			div.appendChild(renderTable("Calculs intermédiaires", ["Calcul", "Expression", "Valeur"],
				v.calculs.map(function (c) { return [c.libelle, c.expression, c.valeur]; })));
		if (v.has_baremes) {
			const ul = el("ul", null, "rule-grids");
			v.baremes.forEach(function (b) { ul.appendChild(el("li", b.texte)); });
			div.appendChild(ul);
		}
		if (v.formule) div.appendChild(el("p", "Calcul : " + v.formule, "rule-formula"));
		box.appendChild(div);
		if (test.has_variables)
			box.appendChild(renderTable("Données utilisées et leur origine", ["Donnée", "Valeur", "Origine"],
				test.variables.map(function (x) { return [x.label, x.value, x.origine_label]; })));
	}

	function renderErrors(box, errors) {
		box.textContent = "";
		const div = el("div", null, "error-summary");
		div.setAttribute("role", "alert");
		div.appendChild(el("p", "Le test n'a pas pu être fait :"));
		const ul = el("ul");
		Object.keys(errors || {}).forEach(function (k) { ul.appendChild(el("li", errors[k])); });
		div.appendChild(ul);
		box.appendChild(div);
	}

	function setupTester(button) {
		const form = button.form;
		const box = document.getElementById("tester-result");
		button.addEventListener("click", function (event) {
			if (!box || !window.fetch) return;
			event.preventDefault();
			const data = new FormData(form);
			data.set("format", "json");
			const fields = {};
			data.forEach(function (value, key) { fields[key] = value; });
			box.setAttribute("aria-busy", "true");
			post(button.getAttribute("formaction"), fields)
				.then(function (answer) {
					if (answer.ok) renderResult(box, answer.test);
					else renderErrors(box, answer.errors);
				})
				.catch(function () { renderErrors(box, { test: "Le serveur n'a pas répondu." }); })
				.then(function () { box.removeAttribute("aria-busy"); });
		});
	}

	function setupImportFile(input) {
		const area = document.getElementById("document");
		input.addEventListener("change", function () {
			const file = input.files && input.files[0];
			if (!file || !area) return;
			const reader = new FileReader();
			reader.onload = function () { area.value = String(reader.result); };
			reader.readAsText(file, "utf-8");
		});
	}

	document.addEventListener("DOMContentLoaded", function () {
		const area = document.querySelector("textarea[data-validate-url]");
		if (area && window.fetch) setupValidation(area);
		const tester = document.getElementById("tester-submit");
		if (tester) setupTester(tester);
		const file = document.getElementById("import-file");
		if (file) setupImportFile(file);
	});
})();
