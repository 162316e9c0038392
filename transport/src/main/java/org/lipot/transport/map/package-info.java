/**
 * Transport maps estimated from solved problems, applicable to new points: {@link
 * org.lipot.transport.map.BarycentricMap} (from any plan) and {@link org.lipot.transport.map.EntropicMap} (from an
 * entropic target potential).
 */
package org.lipot.transport.map;
