/**
 * Field checks shared by the domain services: each failure is an {@code InvalidFieldException}
 * naming the field, so every form can show the message next to the input. Text is stored exactly
 * as typed (never trimmed or escaped: quoting is the prepared statement's job).
 */
package org.citizenreception.control.validation;
