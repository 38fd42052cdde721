// The searchable tree of divisions and grids: class tags (A/B/C), open-case counts, filtered by name or code.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Empty, Input, Skeleton, Tag, Tooltip, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GridTree, GridTreeNode } from './gridsApi';
import { CLASS_TAG, type GridClassName } from './gridGeo';
import './grids.css';

interface Props {
  tree: GridTree | undefined;
  loading: boolean;
  selectedId: number | null;
  onSelect: (id: number) => void;
  height?: number;
}

const keyOf = (n: GridTreeNode) => `${n.kind === 'grid' ? 'g' : 'd'}-${n.id}`;

type Node = TreeDataNode & { node: GridTreeNode; children?: Node[] };

function matches(n: GridTreeNode, q: string): boolean {
  return n.name.toLowerCase().includes(q) || n.code.toLowerCase().startsWith(q);
}

/** The tree with only the nodes that match (and their ancestors, and a matching division's whole subtree). */
function filterTree(nodes: GridTreeNode[], q: string): { nodes: GridTreeNode[]; expand: string[]; hits: number } {
  const expand: string[] = [];
  let hits = 0;
  const walk = (list: GridTreeNode[]): GridTreeNode[] =>
    list.flatMap((n) => {
      if (matches(n, q)) {
        hits++;
        return [n];
      }
      const kids = walk(n.children);
      if (!kids.length) return [];
      expand.push(keyOf(n));
      return [{ ...n, children: kids }];
    });
  const out = walk(nodes);
  return { nodes: out, expand, hits };
}

function allDivisionKeys(nodes: GridTreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.kind === 'division' && n.level !== 'community') out.push(keyOf(n));
    allDivisionKeys(n.children, out);
  }
  return out;
}

function ancestorsOf(nodes: GridTreeNode[], gridId: number, trail: string[] = []): string[] | null {
  for (const n of nodes) {
    if (n.kind === 'grid' && n.id === gridId) return trail;
    const found = ancestorsOf(n.children, gridId, [...trail, keyOf(n)]);
    if (found) return found;
  }
  return null;
}

export function GridTreePanel({ tree, loading, selectedId, onSelect, height = 640 }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const q = query.trim().toLowerCase();

  const treeRef = useRef<{ scrollTo: (o: { key: string; align?: 'top' | 'bottom' | 'auto' }) => void } | null>(null);
  const filtered = useMemo(() => (q ? filterTree(tree?.roots ?? [], q) : null), [tree, q]);
  const defaultExpanded = useMemo(() => {
    const keys = allDivisionKeys(tree?.roots ?? []);
    const trail = selectedId != null ? ancestorsOf(tree?.roots ?? [], selectedId) : null;
    return [...new Set([...keys, ...(trail ?? [])])];
    // the selection only opens its branch the first time; afterwards the user's own expansion rules
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tree]);

  // a grid picked elsewhere (map, link) opens its branch and scrolls into view
  useEffect(() => {
    if (selectedId == null || !tree) return;
    const trail = ancestorsOf(tree.roots, selectedId);
    if (!trail) return;
    setExpanded((prev) => {
      const base = prev ?? defaultExpanded;
      return trail.every((k) => base.includes(k)) ? prev : [...new Set([...base, ...trail])];
    });
    const timer = setTimeout(() => treeRef.current?.scrollTo({ key: `g-${selectedId}`, align: 'auto' }), 50);
    return () => clearTimeout(timer);
  }, [selectedId, tree, defaultExpanded]);

  const toData = (nodes: GridTreeNode[]): Node[] =>
    nodes.map((n) => ({
      key: keyOf(n),
      node: n,
      selectable: n.kind === 'grid',
      isLeaf: n.children.length === 0,
      children: n.children.length ? toData(n.children) : undefined,
    }));
  const data = toData(filtered ? filtered.nodes : (tree?.roots ?? []));
  const expandedKeys = filtered ? [...new Set([...filtered.expand, ...(expanded ?? defaultExpanded)])] : (expanded ?? defaultExpanded);

  return (
    <div className="gw-grid-tree" data-testid="grid-tree">
      <Input.Search
        allowClear
        placeholder={t('grids.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="grid-search"
        style={{ marginBottom: 8 }}
      />
      {filtered && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }} data-testid="grid-search-count">
          {t('grids.searchHits', { count: filtered.hits })}
        </Typography.Text>
      )}
      {loading ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grids.noMatch')} />
      ) : (
        <Tree<Node>
          ref={treeRef as never}
          blockNode
          height={height}
          treeData={data}
          expandedKeys={expandedKeys}
          onExpand={(keys) => setExpanded(keys.map(String))}
          selectedKeys={selectedId != null ? [`g-${selectedId}`] : []}
          onSelect={(_, info) => {
            const n = info.node.node;
            if (n.kind === 'grid') onSelect(n.id);
          }}
          titleRender={(d) => <NodeTitle n={d.node} />}
        />
      )}
    </div>
  );
}

function NodeTitle({ n }: { n: GridTreeNode }) {
  const { t } = useTranslation();
  if (n.kind === 'division') {
    return (
      <span className="gw-tree-title" data-testid="grid-tree-division" data-code={n.code}>
        <span className="gw-tree-name">
          {n.name} <Typography.Text type="secondary" style={{ fontSize: 11 }}>{t(`grids.divisionLevel.${String(n.level)}`, { defaultValue: '' })}</Typography.Text>
        </span>
        {n.openCases > 0 && (
          <Tooltip title={t('grids.openCasesTip', { count: n.openCases })}>
            <Badge count={n.openCases} color="#8c8c8c" size="small" overflowCount={999} />
          </Tooltip>
        )}
      </span>
    );
  }
  const cls = (n.gridClass ?? 'A') as GridClassName;
  return (
    <span className="gw-tree-title" data-testid="grid-tree-node" data-code={n.code} data-id={n.id}>
      <Tag color={CLASS_TAG[cls]}>{cls}</Tag>
      <span className="gw-tree-name" title={`${n.name} · ${n.code}`}>
        {n.name}
      </span>
      {n.openCases > 0 && (
        <Tooltip title={t('grids.openCasesTip', { count: n.openCases })}>
          <Badge count={n.openCases} size="small" overflowCount={999} />
        </Tooltip>
      )}
    </span>
  );
}
