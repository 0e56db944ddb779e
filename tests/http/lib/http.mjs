// HTTP client of the tests: a cookie jar, the CSRF token of the signed-in
// session, form posts and API calls. Redirects are never followed.

/* The first hidden csrf value of an HTML page, or null. */
export function csrfOf(html) {
	const m = /<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html);
	return m ? m[1] : null;
}

/* One Set-Cookie line parsed: {name, value, attrs: {lowercase: value|true}}. */
export function parseSetCookie(line) {
	const [pair, ...rest] = line.split(';');
	const eq = pair.indexOf('=');
	const attrs = {};
	for (const a of rest) {
		const [k, ...v] = a.trim().split('=');
		if (k) attrs[k.toLowerCase()] = v.length ? v.join('=') : true;
	}
	return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs, line };
}

/* The Set-Cookie lines of a response. Headers.getSetCookie() is missing
 * from Node 18's fetch, which joins the lines with ", ": split them again
 * before each "name=" (Cassis's cookies carry no Expires date, the only
 * attribute with a comma). */
export function setCookieLines(headers) {
	if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
	const joined = headers.get('set-cookie');
	return joined ? joined.split(/,\s*(?=[A-Za-z0-9_-]+=)/) : [];
}

export class Session {
	constructor(base) {
		this.base = base;
		this.jar = new Map();
		this.csrf = null;
		this.apiKey = null;
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	absorb(res) {
		for (const line of setCookieLines(res.headers)) {
			const c = parseSetCookie(line);
			if (c.attrs['max-age'] === '0' || c.value === '') this.jar.delete(c.name);
			else this.jar.set(c.name, c.value);
		}
	}

	/* opts: form (object; csrf added unless opts.csrf === false or a string to
	 * send instead), json (object), raw (string | Buffer), headers, apiKey
	 * (overrides this.apiKey; false for none), cookies (false: send none). */
	async request(method, path, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		let body;
		if (opts.form !== undefined) {
			const form = { ...opts.form };
			if (opts.csrf !== false && form.csrf === undefined)
				form.csrf = typeof opts.csrf === 'string' ? opts.csrf : this.csrf || '';
			body = new URLSearchParams(form).toString();
			headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
		} else if (opts.json !== undefined) {
			body = JSON.stringify(opts.json);
			headers['Content-Type'] ??= 'application/json';
		} else if (opts.raw !== undefined) {
			body = opts.raw;
		}
		const key = opts.apiKey === undefined ? this.apiKey : opts.apiKey;
		if (key) headers.Authorization ??= `Bearer ${key}`;
		if (opts.cookies !== false && this.jar.size) headers.Cookie ??= this.cookieHeader();
		const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
		const buf = Buffer.from(await res.arrayBuffer());
		this.absorb(res);
		const text = buf.toString('utf8');
		let json;
		if ((res.headers.get('content-type') || '').startsWith('application/json')) {
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
		}
		const page = csrfOf(text);
		if (page && this.jar.has('cassis_session')) this.csrf = page;
		return {
			status: res.status,
			headers: res.headers,
			setCookies: setCookieLines(res.headers).map(parseSetCookie),
			text,
			json,
		};
	}

	get(path, opts) {
		return this.request('GET', path, opts);
	}

	post(path, form, opts = {}) {
		return this.request('POST', path, { ...opts, form });
	}

	/* Signs in through the login page; the session's CSRF token is then read
	 * from the home page. Throws when the login is refused. */
	async login(email, password) {
		const form = await this.get('/connexion');
		const token = csrfOf(form.text);
		const res = await this.post('/connexion', { csrf: token, email, password }, { csrf: false });
		if (res.status !== 303 || !this.jar.has('cassis_session'))
			throw new Error(`login of ${email} refused: ${res.status}`);
		const home = await this.get(res.headers.get('location') || '/');
		this.csrf = csrfOf(home.text);
		if (!this.csrf) throw new Error(`no csrf token on the page after login of ${email}`);
		return this;
	}
}
