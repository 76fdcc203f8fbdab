#ifndef ESCAPE_H
#define ESCAPE_H

/* Returns a newly allocated copy of s in which & < > " and ' are replaced by
 * &amp; &lt; &gt; &quot; and &#39;.  Returns NULL if memory is exhausted.
 * The caller frees the result. */
char *html_escape(const char *s);

/* Same, for the attribute-safe variant used in href/src values: additionally
 * replaces a backtick by &#96;. */
char *html_escape_attr(const char *s);

#endif
