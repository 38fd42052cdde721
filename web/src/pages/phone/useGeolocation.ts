// The phone's position (WGS-84, as browsers give it) with its accuracy in metres.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Fix {
  lng: number;
  lat: number;
  accuracy: number;
  at: string;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export function toFix(pos: GeolocationPosition): Fix {
  return {
    lng: round6(pos.coords.longitude),
    lat: round6(pos.coords.latitude),
    accuracy: Math.round(pos.coords.accuracy),
    at: new Date(pos.timestamp || Date.now()).toISOString(),
  };
}

/** One position on demand (and at mount when `auto`). */
export function useCurrentPosition(auto: boolean) {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const alive = useRef(true);
  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setError('unsupported');
      return;
    }
    setLocating(true);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        if (!alive.current) return;
        setLocating(false);
        setFix(toFix(pos));
      },
      (err) => {
        if (!alive.current) return;
        setLocating(false);
        setError(err.message || String(err.code));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 10_000 },
    );
  }, []);
  useEffect(() => {
    alive.current = true;
    if (auto) locate();
    return () => {
      alive.current = false;
    };
  }, [auto, locate]);
  return { fix, error, locating, locate };
}
