// A layer's legend


export function Legend({ items }: { items: { colour: string; label: string; dot?: boolean }[] }) {
  return (
    <div>
      {items.map((i) => (
        <div key={i.label} className="gw-legend-row">
          <span className={i.dot ? 'gw-swatch dot' : 'gw-swatch'} style={{ background: i.colour }} />
          {i.label}
        </div>
      ))}
    </div>
  );
}
