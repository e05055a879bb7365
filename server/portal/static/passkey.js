// passkey.js: added with the passkey ceremony.
