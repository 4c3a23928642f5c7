/* thing.c: a vendored helper.
 * Copyright (C) 2019 Free Thinkers Ltd.
 * Licensed under the GNU General Public License version 3 only.
 */
int thing(void) { return 42; }
