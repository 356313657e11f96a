/**
 * Limits under abuse that span several areas: the counter of refusals every limit reports to, and
 * the rate windows the WHIP/WHEP and sign-in paths consult. Called by controllers and services;
 * knows nothing of HTTP.
 */
package org.citizenreception.control.limits;
