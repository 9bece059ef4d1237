// mtcars (R datasets): mpg, cyl, disp, hp, gear for the 32 cars, in the dataset's row order.
// Used to reproduce the relative-weights example published with the R package `rwa`.
export const MTCARS: ReadonlyArray<readonly [mpg: number, cyl: number, disp: number, hp: number, gear: number]> = [
  [21.0, 6, 160.0, 110, 4], // Mazda RX4
  [21.0, 6, 160.0, 110, 4], // Mazda RX4 Wag
  [22.8, 4, 108.0, 93, 4], // Datsun 710
  [21.4, 6, 258.0, 110, 3], // Hornet 4 Drive
  [18.7, 8, 360.0, 175, 3], // Hornet Sportabout
  [18.1, 6, 225.0, 105, 3], // Valiant
  [14.3, 8, 360.0, 245, 3], // Duster 360
  [24.4, 4, 146.7, 62, 4], // Merc 240D
  [22.8, 4, 140.8, 95, 4], // Merc 230
  [19.2, 6, 167.6, 123, 4], // Merc 280
  [17.8, 6, 167.6, 123, 4], // Merc 280C
  [16.4, 8, 275.8, 180, 3], // Merc 450SE
  [17.3, 8, 275.8, 180, 3], // Merc 450SL
  [15.2, 8, 275.8, 180, 3], // Merc 450SLC
  [10.4, 8, 472.0, 205, 3], // Cadillac Fleetwood
  [10.4, 8, 460.0, 215, 3], // Lincoln Continental
  [14.7, 8, 440.0, 230, 3], // Chrysler Imperial
  [32.4, 4, 78.7, 66, 4], // Fiat 128
  [30.4, 4, 75.7, 52, 4], // Honda Civic
  [33.9, 4, 71.1, 65, 4], // Toyota Corolla
  [21.5, 4, 120.1, 97, 3], // Toyota Corona
  [15.5, 8, 318.0, 150, 3], // Dodge Challenger
  [15.2, 8, 304.0, 150, 3], // AMC Javelin
  [13.3, 8, 350.0, 245, 3], // Camaro Z28
  [19.2, 8, 400.0, 175, 3], // Pontiac Firebird
  [27.3, 4, 79.0, 66, 4], // Fiat X1-9
  [26.0, 4, 120.3, 91, 5], // Porsche 914-2
  [30.4, 4, 95.1, 113, 5], // Lotus Europa
  [15.8, 8, 351.0, 264, 5], // Ford Pantera L
  [19.7, 6, 145.0, 175, 5], // Ferrari Dino
  [15.0, 8, 301.0, 335, 5], // Maserati Bora
  [21.4, 4, 121.0, 109, 4], // Volvo 142E
];
