// Reads the forms and links of an HTML page, as a browser would submit them,
// so that tests can post what the page itself offers. Regular expressions
// suffice: the pages are our own templates.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

export function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
		if (ENTITIES[e] !== undefined) return ENTITIES[e];
		if (e[0] === '#')
			return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return m;
	});
}

function attrs(tag) {
	const out = {};
	for (const m of tag.matchAll(/([a-zA-Z_:-][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
		const name = m[1].toLowerCase();
		if (name in out) continue;
		out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
	}
	return out;
}

/* The value a select sends: the selected option, else the first option. */
function selectValue(inner) {
	const options = [...inner.matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|<\/select>|$)/gi)].map((m) => {
		const a = attrs(m[1]);
		return { value: a.value ?? decodeEntities(m[2].trim()), selected: 'selected' in a };
	});
	const sel = options.find((o) => o.selected) || options.find((o) => o.value !== '') || options[0];
	return { value: sel ? sel.value : '', choices: options.map((o) => o.value) };
}

/* Every <form> of html: {action, method, id, fields: {name: value}, choices:
 * {name: [values]} (for selects and radios), attrs}. */
export function parseForms(html) {
	const forms = [];
	for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
		const a = attrs(m[1]);
		const inner = m[2];
		const fields = {};
		const choices = {};
		for (const t of inner.matchAll(/<input\b([^>]*)>/gi)) {
			const i = attrs(t[1]);
			if (!i.name || 'disabled' in i) continue;
			const type = (i.type || 'text').toLowerCase();
			if (type === 'submit' || type === 'button' || type === 'file') continue;
			if (type === 'radio') {
				(choices[i.name] ??= []).push(i.value ?? 'on');
				if ('checked' in i) fields[i.name] = i.value ?? 'on';
				continue;
			}
			if (type === 'checkbox') {
				if ('checked' in i) fields[i.name] = i.value ?? 'on';
				continue;
			}
			fields[i.name] = i.value ?? '';
		}
		for (const t of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
			const s = attrs(t[1]);
			if (!s.name) continue;
			const v = selectValue(t[2]);
			fields[s.name] = v.value;
			choices[s.name] = v.choices;
		}
		for (const t of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
			const s = attrs(t[1]);
			if (s.name) fields[s.name] = decodeEntities(t[2]);
		}
		for (const t of inner.matchAll(/<button\b([^>]*)>/gi)) {
			const b = attrs(t[1]);
			if (b.name && fields[b.name] === undefined) fields[b.name] = b.value ?? '';
		}
		forms.push({
			action: a.action ?? '',
			method: (a.method || 'get').toUpperCase(),
			id: a.id,
			fields,
			choices,
			attrs: a,
		});
	}
	return forms;
}

/* The href of every <a> of html, decoded. */
export function parseLinks(html) {
	return [...html.matchAll(/<a\b([^>]*)>/gi)].map((m) => attrs(m[1]).href).filter(Boolean);
}

/* A regular expression matching the concrete paths of a route pattern. */
export function patternRegex(pattern) {
	const parts = pattern.split('{id}').map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
	return new RegExp(`^${parts.join('([1-9][0-9]*)')}$`);
}
